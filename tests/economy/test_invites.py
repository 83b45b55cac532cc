"""Invites: every user's code, referral binding and rewards once, admin-preset codes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from db.tables.analytics import TrackingEvent
from db.tables.auth import UserAccount
from db.tables.economy import ProfileInviteCode, ProfileReferralRelation, ProfileWalletLedger
from resolvers.auth.phone_signin import send_phone_code
from resolvers.auth.sms import set_sms_sender
from resolvers.economy.invites import ensure_invite_code
from resolvers.economy.wallet import balance_of
from tests.factories.auth import make_user
from tests.factories.economy import make_admin
from tests.fixtures import FakeClock, GraphQLClient

REGISTER = """
mutation($i: AuthRegisterInput!) { authRegister(input: $i) {
    errors { code field } viewer { username wallet { balance } }
} }
"""
INVITE = "{ viewer { inviteCode { inviteCode invitedCount } } }"
REFERRALS = """
{ viewer { referrals(first: 10) { nodes {
    invitee { displayName } inviteCode inviterRewardGranted inviteeRewardGranted
} } } }
"""
ADMIN_UPSERT = """
mutation($i: AdminInviteCodeUpsertInput!) { adminInviteCodeUpsert(input: $i) {
    errors { code field } inviteCode { inviteCode ownerId userTags startsAt expiresAt }
} }
"""
ADMIN_LIST = "{ adminInviteCodes(first: 10) { nodes { inviteCode ownerId userTags } } }"
ADMIN_USER = """
query($c: String!) { adminUser(publicUserCode: $c) { username userTags } }
"""
TAGS_UPDATE = """
mutation($c: String!, $t: [String!]!) { adminUserTagsUpdate(publicUserCode: $c, userTags: $t) {
    errors { code } user { userTags }
} }
"""


async def _register(gql: GraphQLClient, username: str, invite_code: str | None) -> dict[str, Any]:
    variables = {"username": username, "password": "correct horse battery"}
    if invite_code is not None:
        variables["inviteCode"] = invite_code
    result = await gql.execute(REGISTER, {"i": variables})
    payload: dict[str, Any] = result["data"]["authRegister"]
    return payload


async def _code_of(user_id: str) -> str:
    row = await ProfileInviteCode.select().where(ProfileInviteCode.user_id == user_id).first()
    assert row is not None
    return str(row["invite_code"])


async def _public_code(username: str) -> str:
    row = await UserAccount.select().where(UserAccount.username == username).first()
    assert row is not None
    return str(row["public_user_code"])


async def test_every_user_gets_an_invite_code_and_older_accounts_get_one_on_read(
    gql: GraphQLClient,
) -> None:
    user = await make_user()
    code = await _code_of(user.user_id)
    assert len(code) == 8
    # an account from before invite codes: no row until the viewer reads it
    await ProfileInviteCode.delete().where(ProfileInviteCode.user_id == user.user_id)
    result = await gql.execute(INVITE, token=user.access_token)
    lazily = result["data"]["viewer"]["inviteCode"]
    assert lazily["invitedCount"] == 0
    assert lazily["inviteCode"] == await _code_of(user.user_id) != code
    assert (await ensure_invite_code(user.user_id)).invite_code == lazily["inviteCode"]


async def test_registering_with_an_invite_code_binds_and_rewards_both_once(
    gql: GraphQLClient,
) -> None:
    # given an inviter with 10 points
    inviter = await make_user("inviter")
    code = await _code_of(inviter.user_id)
    # when a new user registers with the code (any case)
    payload = await _register(gql, "newcomer", code.lower())
    # then the newcomer has 10 + 10 and the inviter 10 + 20, once each
    assert payload["errors"] == []
    assert payload["viewer"]["wallet"]["balance"] == 20
    assert await balance_of(inviter.user_id) == 30
    invitee = await UserAccount.select().where(UserAccount.username == "newcomer").first()
    assert invitee is not None
    relation = await ProfileReferralRelation.select().first()
    assert relation is not None
    assert (
        relation["invitee_user_id"],
        relation["inviter_user_id"],
        relation["inviter_reward_granted"],
        relation["invitee_reward_granted"],
    ) == (invitee["user_id"], inviter.user_id, True, True)
    ledger = await ProfileWalletLedger.select(
        ProfileWalletLedger.wallet_ledger_id, ProfileWalletLedger.amount_delta
    ).where(
        ProfileWalletLedger.source_type.is_in(["invite_inviter_reward", "invite_invitee_reward"])
    )
    assert sorted((row["wallet_ledger_id"], row["amount_delta"]) for row in ledger) == [
        (f"invite-invitee:{invitee['user_id']}", 10),
        (f"invite-inviter:{invitee['user_id']}", 20),
    ]
    # and the inviter sees the referral
    referrals = await gql.execute(REFERRALS, token=inviter.access_token)
    assert referrals["data"]["viewer"]["referrals"]["nodes"] == [
        {
            "invitee": {"displayName": "newcomer"},
            "inviteCode": code,
            "inviterRewardGranted": True,
            "inviteeRewardGranted": True,
        }
    ]
    counted = await gql.execute(INVITE, token=inviter.access_token)
    assert counted["data"]["viewer"]["inviteCode"]["invitedCount"] == 1


async def test_a_bad_invite_code_refuses_registration_and_writes_nothing(
    gql: GraphQLClient,
) -> None:
    await make_user("someone")
    before = (
        await UserAccount.count(),
        await ProfileWalletLedger.count(),
        await ProfileInviteCode.count(),
    )
    payload = await _register(gql, "hopeful", "NOSUCHCODE")
    assert payload == {
        "errors": [{"code": "INVITE_CODE_INVALID", "field": "inviteCode"}],
        "viewer": None,
    }
    after = (
        await UserAccount.count(),
        await ProfileWalletLedger.count(),
        await ProfileInviteCode.count(),
    )
    assert after == before
    assert await ProfileReferralRelation.count() == 0


class Recorder:
    def __init__(self) -> None:
        self.codes: list[str] = []

    async def send_code(self, *, phone_e164: str, code: str) -> None:
        self.codes.append(code)


async def test_phone_registration_takes_an_invite_code(gql: GraphQLClient) -> None:
    inviter = await make_user()
    code = await _code_of(inviter.user_id)
    recorder = Recorder()
    previous = set_sms_sender(recorder)
    try:
        await send_phone_code(phone="13812345678")
    finally:
        set_sms_sender(previous)
    sent = recorder.codes[-1]
    result = await gql.execute(
        "mutation($i: AuthPhoneLoginInput!) { authPhoneLogin(input: $i) { "
        "errors { code } viewer { wallet { balance } } } }",
        {"i": {"phone": "13812345678", "code": sent, "inviteCode": code}},
    )
    assert result["data"]["authPhoneLogin"] == {"errors": [], "viewer": {"wallet": {"balance": 20}}}
    assert await balance_of(inviter.user_id) == 30
    # and the phone sign-in recorded its daily_login event
    phone_user = await UserAccount.select().where(UserAccount.login_method == "phone").first()
    assert phone_user is not None
    assert (
        await TrackingEvent.count().where(
            (TrackingEvent.user_id == phone_user["user_id"])
            & (TrackingEvent.event_key == "daily_login")
        )
        == 1
    )


async def test_admin_codes_have_a_window_and_grant_their_tags(
    gql: GraphQLClient, clock: FakeClock
) -> None:
    admin = await make_admin()
    # (minutes, not hours: the admin's 15-minute access token must stay valid)
    starts = clock.current + timedelta(minutes=1)
    expires = clock.current + timedelta(minutes=6)
    created = await gql.execute(
        ADMIN_UPSERT,
        {
            "i": {
                "inviteCode": "spring2025",
                "startsAt": starts.isoformat(),
                "expiresAt": expires.isoformat(),
                "userTags": ["campaign:spring", "kol"],
            }
        },
        token=admin.access_token,
    )
    code = created["data"]["adminInviteCodeUpsert"]["inviteCode"]
    assert (code["inviteCode"], code["ownerId"], code["userTags"]) == (
        "SPRING2025",
        "admin:SPRING2025",
        ["campaign:spring", "kol"],
    )
    # before the window: refused
    early = await _register(gql, "too_early", "SPRING2025")
    assert early["errors"] == [{"code": "INVITE_CODE_INVALID", "field": "inviteCode"}]
    # inside the window: invitee rewarded, tags merged, no inviter reward
    clock.advance(minutes=2)
    joined = await _register(gql, "on_time", "SPRING2025")
    assert joined["viewer"]["wallet"]["balance"] == 20
    shown = await gql.execute(
        ADMIN_USER, {"c": await _public_code("on_time")}, token=admin.access_token
    )
    assert shown["data"]["adminUser"] == {
        "username": "on_time",
        "userTags": ["campaign:spring", "kol"],
    }
    assert (
        await ProfileWalletLedger.count().where(
            ProfileWalletLedger.source_type == "invite_inviter_reward"
        )
        == 0
    )
    # after expiry: refused
    clock.advance(minutes=4)
    late = await _register(gql, "too_late", "SPRING2025")
    assert late["errors"] == [{"code": "INVITE_CODE_INVALID", "field": "inviteCode"}]


async def test_the_admin_list_shows_only_admin_codes_and_user_codes_cannot_be_taken(
    gql: GraphQLClient,
) -> None:
    admin = await make_admin()
    await gql.execute(ADMIN_UPSERT, {"i": {"inviteCode": "OPS1"}}, token=admin.access_token)
    taken = await gql.execute(
        ADMIN_UPSERT, {"i": {"inviteCode": await _code_of(admin.user_id)}}, token=admin.access_token
    )
    assert taken["data"]["adminInviteCodeUpsert"]["errors"] == [
        {"code": "INVITE_CODE_TAKEN", "field": "inviteCode"}
    ]
    listed = await gql.execute(ADMIN_LIST, token=admin.access_token)
    assert listed["data"]["adminInviteCodes"]["nodes"] == [
        {"inviteCode": "OPS1", "ownerId": "admin:OPS1", "userTags": []}
    ]


async def test_admins_read_and_edit_user_tags(gql: GraphQLClient) -> None:
    admin = await make_admin()
    await make_user("tagged")
    code = await _public_code("tagged")
    edited = await gql.execute(
        TAGS_UPDATE, {"c": code, "t": ["vip", "vip", " beta "]}, token=admin.access_token
    )
    assert edited["data"]["adminUserTagsUpdate"] == {
        "errors": [],
        "user": {"userTags": ["vip", "beta"]},
    }
    too_long = await gql.execute(
        TAGS_UPDATE, {"c": code, "t": ["x" * 33]}, token=admin.access_token
    )
    assert too_long["data"]["adminUserTagsUpdate"]["errors"] == [{"code": "USER_TAGS_INVALID"}]
    unknown = await gql.execute(TAGS_UPDATE, {"c": "000000000", "t": []}, token=admin.access_token)
    assert unknown["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    shown = await gql.execute(ADMIN_USER, {"c": code}, token=admin.access_token)
    assert shown["data"]["adminUser"]["userTags"] == ["vip", "beta"]


ADMIN_OPERATIONS = [
    (ADMIN_UPSERT, {"i": {"inviteCode": "SNEAKY"}}),
    (ADMIN_LIST, {}),
    (ADMIN_USER, {"c": "123456789"}),
    (TAGS_UPDATE, {"c": "123456789", "t": ["x"]}),
]


async def test_invite_and_tag_admin_surfaces_refuse_anonymous_callers_and_users(
    gql: GraphQLClient,
) -> None:
    user = await make_user()
    for operation, variables in ADMIN_OPERATIONS:
        anonymous = await gql.execute(operation, variables)
        assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", operation
        plain = await gql.execute(operation, variables, token=user.access_token)
        assert plain["errors"][0]["extensions"]["code"] == "FORBIDDEN", operation
    assert await ProfileInviteCode.count().where(ProfileInviteCode.user_id.like("admin:%")) == 0
    row = await UserAccount.select(UserAccount.user_tags).first()
    assert row is not None and row["user_tags"] is None


async def test_user_tags_never_reach_users_or_the_viewer(gql: GraphQLClient) -> None:
    user = await make_user()
    for query in ("{ viewer { userTags } }", "{ viewer { user { userTags } } }"):
        result = await gql.execute(query, token=user.access_token)
        assert result["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
