"""`authWechatBindPhone` through the real ASGI app: binding a proven phone to a WeChat
account, PHONE_ALREADY_BOUND without merging, and refusals of anonymous callers, accounts
not made by WeChat, wrong codes and a second phone; two accounts racing for one phone."""

from __future__ import annotations

import asyncio
from typing import Any

from db.tables.auth import AuthIdentity, AuthPhoneCode, UserAccount
from resolvers.auth.phone_signin import login_with_phone, send_phone_code
from tests.auth.conftest import RecordingSender
from tests.auth.fake_wechat import FakeWechat, WechatUser
from tests.factories.auth import make_user
from tests.fixtures import FakeClock, GraphQLClient

PHONE = "13812345678"
E164 = "+8613812345678"
MINI = "mutation($c: String!) { authWechatMiniProgramLogin(input: {code: $c}) { errors { code } tokens { accessToken } viewer { id } } }"
BIND = "mutation($p: String!, $c: String!) { authWechatBindPhone(phone: $p, code: $c) { errors { code field message } viewer { id phoneMasked loginMethod } } }"
PHONE_LOGIN = "mutation($p: String!, $c: String!) { authPhoneLogin(input: {phone: $p, code: $c}) { errors { code } viewer { id phoneMasked } } }"


async def _wechat_user(gql: GraphQLClient, wechat: FakeWechat, openid: str) -> tuple[str, str]:
    """A WeChat account signed in from the mini-program: (access token, viewer id)."""
    body = await gql.execute(MINI, {"c": wechat.mini_code(WechatUser(openid=openid))})
    payload = body["data"]["authWechatMiniProgramLogin"]
    assert payload["errors"] == []
    return payload["tokens"]["accessToken"], payload["viewer"]["id"]


async def _bind(gql: GraphQLClient, token: str | None, code: str) -> dict[str, Any]:
    return await gql.execute(BIND, {"p": PHONE, "c": code}, token=token)


async def _phones() -> list[tuple[str, str | None]]:
    rows = await UserAccount.select(UserAccount.login_method, UserAccount.phone_number_e164)
    return sorted(
        ((row["login_method"], row["phone_number_e164"]) for row in rows),
        key=lambda pair: (pair[0], pair[1] or ""),
    )


async def _code_row() -> dict[str, Any]:
    row = await AuthPhoneCode.select().where(AuthPhoneCode.phone_e164 == E164).first()
    assert row is not None
    return row


async def test_a_wechat_account_binds_a_proven_phone(
    wechat: FakeWechat, gql: GraphQLClient, sms: RecordingSender, clock: FakeClock
) -> None:
    # given a WeChat account and a code sent to a free phone
    token, viewer_id = await _wechat_user(gql, wechat, "openid-1")
    await send_phone_code(phone=PHONE)
    # when it binds the phone with the code
    body = await _bind(gql, token, sms.last_code())
    # then the account has the phone, and a phone identity
    assert body["data"]["authWechatBindPhone"] == {
        "errors": [],
        "viewer": {"id": viewer_id, "phoneMasked": "+86 138****5678", "loginMethod": "wechat"},
    }
    assert await _phones() == [("wechat", E164)]
    identities = await AuthIdentity.select(AuthIdentity.provider, AuthIdentity.provider_uid)
    assert sorted((row["provider"], row["provider_uid"]) for row in identities) == [
        ("phone", E164),
        ("wechat", "wxfedcba9876543210:openid-1"),
    ]
    # and a later phone sign-in reaches the same account
    clock.advance(seconds=61)
    await send_phone_code(phone=PHONE)
    login = await gql.execute(PHONE_LOGIN, {"p": PHONE, "c": sms.last_code()})
    assert login["data"]["authPhoneLogin"]["viewer"]["id"] == viewer_id
    assert await UserAccount.count() == 1


async def test_a_phone_of_another_account_is_already_bound_and_nothing_is_written(
    wechat: FakeWechat, gql: GraphQLClient, sms: RecordingSender, clock: FakeClock
) -> None:
    # given a phone account, and a WeChat account holding a fresh code for that phone
    await send_phone_code(phone=PHONE)
    await login_with_phone(phone=PHONE, code=sms.last_code())
    token, _ = await _wechat_user(gql, wechat, "openid-1")
    clock.advance(seconds=61)
    await send_phone_code(phone=PHONE)
    # when the WeChat account tries to bind it
    body = await _bind(gql, token, sms.last_code())
    # then it is refused; no merge, no phone identity, and the code was not even used
    assert body["data"]["authWechatBindPhone"] == {
        "errors": [
            {
                "code": "PHONE_ALREADY_BOUND",
                "field": "phone",
                "message": "This phone belongs to another account; accounts are not merged.",
            }
        ],
        "viewer": None,
    }
    assert await _phones() == [("phone", E164), ("wechat", None)]
    assert await AuthIdentity.count().where(AuthIdentity.provider == "phone") == 1
    code_row = await _code_row()
    assert (code_row["consumed_at"], code_row["attempts_left"]) == (None, 5)


async def test_another_wechat_account_cannot_take_a_bound_phone(
    wechat: FakeWechat, gql: GraphQLClient, sms: RecordingSender, clock: FakeClock
) -> None:
    # given a WeChat account that bound the phone
    first, _ = await _wechat_user(gql, wechat, "openid-1")
    await send_phone_code(phone=PHONE)
    await _bind(gql, first, sms.last_code())
    # when another WeChat account proves the same phone
    other, _ = await _wechat_user(gql, wechat, "openid-2")
    clock.advance(seconds=61)
    await send_phone_code(phone=PHONE)
    body = await _bind(gql, other, sms.last_code())
    # then it is refused and the phone stays with the first
    assert body["data"]["authWechatBindPhone"]["errors"][0]["code"] == "PHONE_ALREADY_BOUND"
    assert await _phones() == [("wechat", None), ("wechat", E164)]


async def test_an_anonymous_caller_is_refused_and_nothing_is_written(
    wechat: FakeWechat, gql: GraphQLClient, sms: RecordingSender
) -> None:
    await _wechat_user(gql, wechat, "openid-1")
    await send_phone_code(phone=PHONE)
    body = await _bind(gql, None, sms.last_code())
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await _phones() == [("wechat", None)]
    assert (await _code_row())["attempts_left"] == 5


async def test_an_account_not_made_by_wechat_is_refused(
    gql: GraphQLClient, sms: RecordingSender
) -> None:
    # given a password account and a code for a free phone
    user = await make_user()
    await send_phone_code(phone=PHONE)
    # when it calls the WeChat binding
    body = await _bind(gql, user.access_token, sms.last_code())
    # then it is refused and nothing is written
    assert body["data"]["authWechatBindPhone"]["errors"][0]["code"] == "WECHAT_ACCOUNT_REQUIRED"
    assert await _phones() == [("password", None)]
    assert (await _code_row())["attempts_left"] == 5


async def test_a_wrong_code_is_refused_and_counts_as_an_attempt(
    wechat: FakeWechat, gql: GraphQLClient, sms: RecordingSender
) -> None:
    token, _ = await _wechat_user(gql, wechat, "openid-1")
    await send_phone_code(phone=PHONE)
    wrong = "000000" if sms.last_code() != "000000" else "111111"
    body = await _bind(gql, token, wrong)
    assert body["data"]["authWechatBindPhone"]["errors"][0]["code"] == "PHONE_CODE_INVALID"
    assert await _phones() == [("wechat", None)]
    # the attempt is counted, as for a phone sign-in (that is the throttle)
    assert (await _code_row())["attempts_left"] == 4


async def test_an_account_with_a_phone_cannot_bind_another(
    wechat: FakeWechat, gql: GraphQLClient, sms: RecordingSender
) -> None:
    # given a WeChat account with a phone
    token, _ = await _wechat_user(gql, wechat, "openid-1")
    await send_phone_code(phone=PHONE)
    await _bind(gql, token, sms.last_code())
    # when it tries to bind a second phone
    await send_phone_code(phone="13912345678")
    body = await gql.execute(BIND, {"p": "13912345678", "c": sms.last_code()}, token=token)
    # then it is refused
    assert body["data"]["authWechatBindPhone"]["errors"][0]["code"] == "PHONE_ALREADY_SET"
    assert await _phones() == [("wechat", E164)]


async def test_two_wechat_accounts_racing_for_one_phone_bind_it_once(
    wechat: FakeWechat, gql: GraphQLClient, sms: RecordingSender
) -> None:
    # given two WeChat accounts that both hold the phone's one code
    tokens = [(await _wechat_user(gql, wechat, f"openid-{number}"))[0] for number in range(2)]
    await send_phone_code(phone=PHONE)
    code = sms.last_code()
    # when both bind at once
    bodies = await asyncio.gather(*[_bind(gql, token, code) for token in tokens])
    # then one got the phone; the other found the code used
    outcomes = sorted(
        [error["code"] for error in body["data"]["authWechatBindPhone"]["errors"]]
        for body in bodies
    )
    assert outcomes == [[], ["PHONE_CODE_INVALID"]]
    assert await _phones() == [("wechat", None), ("wechat", E164)]
    assert await AuthIdentity.count().where(AuthIdentity.provider == "phone") == 1
