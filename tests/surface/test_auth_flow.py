"""The foundation's end-to-end flow through GraphQL over HTTP."""

from __future__ import annotations

from db.tables.auth import RefreshSession
from tests.fixtures import GraphQLClient

SIGN_IN_FIELDS = """
    errors { code field message }
    tokens { accessToken refreshToken sessionId accessTokenExpiresAt }
    viewer { username displayName publicUserCode }
"""
VIEWER = """
{ viewer {
    username
    wallet { balance ledger { edges { node { id amountDelta balanceAfter sourceType } } } }
    sessions { id current }
} }
"""


async def test_register_login_viewer_refresh_logout_all(gql: GraphQLClient) -> None:
    # register
    registered = await gql.execute(
        f"mutation($i: AuthRegisterInput!) {{ authRegister(input: $i) {{ {SIGN_IN_FIELDS} }} }}",
        {"i": {"username": "Mei", "password": "correct horse battery", "displayName": "梅"}},
    )
    payload = registered["data"]["authRegister"]
    assert payload["errors"] == []
    assert payload["viewer"]["username"] == "mei"
    assert payload["viewer"]["displayName"] == "梅"
    # login
    logged_in = await gql.execute(
        f"mutation($i: AuthLoginInput!) {{ authLogin(input: $i) {{ {SIGN_IN_FIELDS} }} }}",
        {"i": {"username": "MEI", "password": "correct horse battery"}},
    )
    tokens = logged_in["data"]["authLogin"]["tokens"]
    # viewer: balance 10, one ledger row, two sessions (this one current)
    viewer = (await gql.execute(VIEWER, token=tokens["accessToken"]))["data"]["viewer"]
    user_id_row = viewer["wallet"]["ledger"]["edges"][0]["node"]
    assert viewer["wallet"]["balance"] == 10
    assert len(viewer["wallet"]["ledger"]["edges"]) == 1
    assert user_id_row["id"].startswith("new-user-registration:")
    assert (user_id_row["amountDelta"], user_id_row["balanceAfter"], user_id_row["sourceType"]) == (
        10,
        10,
        "NEW_USER_REGISTRATION_REWARD",
    )
    assert [s["current"] for s in viewer["sessions"]].count(True) == 1
    assert len(viewer["sessions"]) == 2
    # refresh: new tokens; the old refresh token is then refused and its session revoked
    refreshed = await gql.execute(
        f"mutation($t: String!) {{ authRefresh(refreshToken: $t) {{ {SIGN_IN_FIELDS} }} }}",
        {"t": tokens["refreshToken"]},
    )
    new_tokens = refreshed["data"]["authRefresh"]["tokens"]
    assert new_tokens["sessionId"] == tokens["sessionId"]
    reused = await gql.execute(
        "mutation($t: String!) { authRefresh(refreshToken: $t) { errors { code } tokens { accessToken } } }",
        {"t": tokens["refreshToken"]},
    )
    assert reused["data"]["authRefresh"] == {
        "errors": [{"code": "REFRESH_TOKEN_REUSED"}],
        "tokens": None,
    }
    revoked = (
        await RefreshSession.select(RefreshSession.revoked_at)
        .where(RefreshSession.session_id == tokens["sessionId"])
        .first()
    )
    assert revoked is not None and revoked["revoked_at"] is not None
    # logoutAll with the registration session: every old access token is refused
    first_token = payload["tokens"]["accessToken"]
    ended = await gql.execute(
        "mutation { authLogoutAll { errors { code } endedSessionCount } }", token=first_token
    )
    assert ended["data"]["authLogoutAll"] == {"errors": [], "endedSessionCount": 1}
    after = await gql.execute("{ viewer { username } }", token=first_token)
    assert after["data"] == {"viewer": None}
    assert after["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "token version revoked" in after["errors"][0]["message"]


async def test_register_errors_are_payload_errors(gql: GraphQLClient) -> None:
    result = await gql.execute(
        'mutation { authRegister(input: {username: "x", password: "short"}) '
        "{ errors { code field message } viewer { username } tokens { accessToken } } }"
    )
    assert result["data"]["authRegister"] == {
        "errors": [
            {
                "code": "USERNAME_INVALID",
                "field": "username",
                "message": "Usernames have 3 to 32 letters, digits or underscores.",
            }
        ],
        "viewer": None,
        "tokens": None,
    }


async def test_phone_sign_in_through_graphql(gql: GraphQLClient) -> None:
    from resolvers.auth.sms import set_sms_sender
    from tests.auth.test_phone_signin import RecordingSender

    sender = RecordingSender()
    previous = set_sms_sender(sender)
    try:
        sent = await gql.execute(
            'mutation { authPhoneCodeSend(phone: "13900001111") '
            "{ errors { code } phoneMasked resendAfterSeconds expiresInSeconds } }"
        )
        assert sent["data"]["authPhoneCodeSend"] == {
            "errors": [],
            "phoneMasked": "+86 139****1111",
            "resendAfterSeconds": 60,
            "expiresInSeconds": 300,
        }
        logged_in = await gql.execute(
            "mutation($i: AuthPhoneLoginInput!) { authPhoneLogin(input: $i) "
            "{ errors { code } viewer { loginMethod phoneMasked wallet { balance } } } }",
            {"i": {"phone": "13900001111", "code": sender.last_code()}},
        )
    finally:
        set_sms_sender(previous)
    assert logged_in["data"]["authPhoneLogin"] == {
        "errors": [],
        "viewer": {
            "loginMethod": "phone",
            "phoneMasked": "+86 139****1111",
            "wallet": {"balance": 10},
        },
    }
