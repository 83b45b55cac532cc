"""WeChat sign-in through the real ASGI app against the fake WeChat on a real port: web
sign-in and mini-program login create then find the user, every WeChat failure is a payload
code (never a 500) with nothing written, concurrent callbacks with one state sign in once,
and neither the secrets nor a session_key reach a response, a row or a log record."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from db.apps import all_tables
from db.tables.auth import AuthIdentity, AuthWechatState, RefreshSession, UserAccount
from tests.auth.conftest import REDIRECT_URI
from tests.auth.fake_wechat import (
    APP_SECRET,
    MINI_APP_ID,
    MINI_APP_SECRET,
    FakeWechat,
    WechatUser,
)
from tests.fixtures import GraphQLClient
from tests.redis_server import free_port

SIGNED_IN = "errors { code field message } newAccount tokens { accessToken refreshToken } viewer { id displayName loginMethod wallet { balance } }"
START = "mutation($r: String!) { authWechatStart(redirectUri: $r) { errors { code field } authorizeUrl state expiresAt } }"
CALLBACK = f"mutation($c: String!, $s: String!) {{ authWechatCallback(input: {{code: $c, state: $s}}) {{ redirectUri {SIGNED_IN} }} }}"
MINI = (
    f"mutation($c: String!) {{ authWechatMiniProgramLogin(input: {{code: $c}}) {{ {SIGNED_IN} }} }}"
)
VIEWER = "{ viewer { id loginMethod sessions { issuedByProvider } } }"
REFRESH = "mutation($t: String!) { authRefresh(refreshToken: $t) { errors { code } tokens { accessToken } } }"
UNIONID = "o6_bmasdasdsad6_2sgVt7hMZOPfL"


async def _start(gql: GraphQLClient) -> str:
    body = await gql.execute(START, {"r": REDIRECT_URI})
    started = body["data"]["authWechatStart"]
    assert started["errors"] == []
    return str(started["state"])


async def _callback(gql: GraphQLClient, code: str, state: str) -> dict[str, Any]:
    body = await gql.execute(CALLBACK, {"c": code, "s": state})
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"]["authWechatCallback"]
    return payload


async def _mini(gql: GraphQLClient, code: str) -> dict[str, Any]:
    body = await gql.execute(MINI, {"c": code})
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"]["authWechatMiniProgramLogin"]
    return payload


async def _written() -> tuple[int, int, int]:
    return (await UserAccount.count(), await AuthIdentity.count(), await RefreshSession.count())


async def test_a_web_sign_in_creates_the_user_and_a_second_finds_it(
    wechat: FakeWechat, gql: GraphQLClient
) -> None:
    # given a WeChat user who signs in on the web for the first time
    who = WechatUser(openid="openid-1", unionid=UNIONID, nickname="小明")
    first = await _callback(gql, wechat.web_code(who), await _start(gql))
    # then a new account is signed in with the usual tokens and its 10 points
    assert first["errors"] == []
    assert first["newAccount"] is True
    assert first["redirectUri"] == REDIRECT_URI
    assert first["viewer"]["displayName"] == "小明"
    assert first["viewer"]["loginMethod"] == "wechat"
    assert first["viewer"]["wallet"]["balance"] == 10
    viewer = await gql.execute(VIEWER, token=first["tokens"]["accessToken"])
    assert viewer["data"]["viewer"] == {
        "id": first["viewer"]["id"],
        "loginMethod": "wechat",
        "sessions": [{"issuedByProvider": "wechat"}],
    }
    refreshed = await gql.execute(REFRESH, {"t": first["tokens"]["refreshToken"]})
    assert refreshed["data"]["authRefresh"]["errors"] == []
    # when the same WeChat user signs in again
    second = await _callback(gql, wechat.web_code(who), await _start(gql))
    # then it is the same account, not granted again
    assert second["newAccount"] is False
    assert second["viewer"]["id"] == first["viewer"]["id"]
    assert second["viewer"]["wallet"]["balance"] == 10
    assert await _written() == (1, 1, 2)


async def test_without_a_unionid_a_second_web_sign_in_finds_the_user_by_openid(
    wechat: FakeWechat, gql: GraphQLClient
) -> None:
    who = WechatUser(openid="openid-only")
    first = await _callback(gql, wechat.web_code(who), await _start(gql))
    second = await _callback(gql, wechat.web_code(who), await _start(gql))
    assert (first["newAccount"], second["newAccount"]) == (True, False)
    assert second["viewer"]["id"] == first["viewer"]["id"]
    assert await _written() == (1, 1, 2)


async def test_start_refuses_a_redirect_uri_off_the_allowlist(
    wechat: FakeWechat, gql: GraphQLClient
) -> None:
    body = await gql.execute(START, {"r": "https://evil.example.com/wechat/return"})
    assert body["data"]["authWechatStart"] == {
        "errors": [{"code": "WECHAT_REDIRECT_URI_NOT_ALLOWED", "field": "redirectUri"}],
        "authorizeUrl": None,
        "state": None,
        "expiresAt": None,
    }
    assert await AuthWechatState.count() == 0


async def test_replayed_and_forged_states_are_refused(
    wechat: FakeWechat, gql: GraphQLClient
) -> None:
    # given a state that signed in once
    state = await _start(gql)
    who = WechatUser(openid="openid-1")
    await _callback(gql, wechat.web_code(who), state)
    # when it is replayed, or a state is made up
    replayed = await _callback(gql, wechat.web_code(who), state)
    forged = await _callback(gql, wechat.web_code(who), "made-up-state")
    # then both are refused and nothing more is written
    for refused in (replayed, forged):
        assert refused["errors"] == [
            {
                "code": "WECHAT_STATE_INVALID",
                "field": "state",
                "message": "Unknown or already used sign-in state; start again.",
            }
        ]
        assert (refused["tokens"], refused["viewer"], refused["newAccount"]) == (None, None, None)
    assert await _written() == (1, 1, 1)


# WeChat's failures: what the code (or the setting) makes the fake do, and the payload code.
FAILURES = [
    ("unknown-code", "WECHAT_CODE_INVALID"),
    ("used-code", "WECHAT_CODE_USED"),
    ("rate-limited", "WECHAT_RATE_LIMITED"),
    ("slow", "WECHAT_TIMEOUT"),
    ("not-json", "WECHAT_UNAVAILABLE"),
    ("server-error", "WECHAT_UNAVAILABLE"),
    ("unreachable", "WECHAT_UNAVAILABLE"),
    ("wrong-secret", "WECHAT_REJECTED"),
    ("", "WECHAT_CODE_INVALID"),
]


def _failing_code(wechat: FakeWechat, monkeypatch: pytest.MonkeyPatch, case: str, web: bool) -> str:
    from settings import get_settings

    who = WechatUser(openid="openid-1", unionid=UNIONID)
    code = wechat.web_code(who) if web else wechat.mini_code(who)
    if case == "used-code":
        wechat.used_codes.add(code)
    elif case == "unreachable":
        monkeypatch.setenv("WECHAT_API_BASE_URL", f"http://127.0.0.1:{free_port()}")
    elif case == "wrong-secret":
        monkeypatch.setenv("WECHAT_APP_SECRET" if web else "WECHAT_MINI_APP_SECRET", "wrong")
    elif case == "slow":
        # the fake holds its answer until the test ends, so a short wait is certain to expire
        monkeypatch.setenv("WECHAT_HTTP_TIMEOUT_SECONDS", "0.5")
        get_settings.cache_clear()
        return case
    else:
        return case
    get_settings.cache_clear()
    return code


@pytest.mark.parametrize(("case", "expected"), FAILURES)
async def test_web_sign_in_failures_at_wechat_are_payload_codes_and_write_nothing(
    wechat: FakeWechat,
    gql: GraphQLClient,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    case: str,
    expected: str,
) -> None:
    # given a started sign-in and a code WeChat will not accept
    state = await _start(gql)
    code = _failing_code(wechat, monkeypatch, case, web=True)
    caplog.set_level(logging.DEBUG)
    # when the callback arrives
    response = await gql.http.post(
        "/graphql", json={"query": CALLBACK, "variables": {"c": code, "s": state}}
    )
    # then it is a payload error (HTTP 200, no top-level error), and nothing is written
    assert response.status_code == 200
    body = response.json()
    assert "errors" not in body
    payload = body["data"]["authWechatCallback"]
    assert [error["code"] for error in payload["errors"]] == [expected]
    assert (payload["tokens"], payload["viewer"]) == (None, None)
    assert await _written() == (0, 0, 0)
    # and the state is still there (a new code may still use it)
    assert await AuthWechatState.count() == 1
    # and the secret is in no answer and no log record
    assert APP_SECRET not in response.text
    assert APP_SECRET not in caplog.text


@pytest.mark.parametrize(("case", "expected"), FAILURES)
async def test_mini_program_failures_at_wechat_are_payload_codes_and_write_nothing(
    wechat: FakeWechat,
    gql: GraphQLClient,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    case: str,
    expected: str,
) -> None:
    code = _failing_code(wechat, monkeypatch, case, web=False)
    caplog.set_level(logging.DEBUG)
    response = await gql.http.post("/graphql", json={"query": MINI, "variables": {"c": code}})
    assert response.status_code == 200
    body = response.json()
    assert "errors" not in body
    payload = body["data"]["authWechatMiniProgramLogin"]
    assert [error["code"] for error in payload["errors"]] == [expected]
    assert await _written() == (0, 0, 0)
    assert MINI_APP_SECRET not in response.text
    assert MINI_APP_SECRET not in caplog.text


async def test_without_settings_wechat_sign_in_is_not_configured(
    gql: GraphQLClient,
) -> None:
    start = await gql.execute(START, {"r": REDIRECT_URI})
    mini = await gql.execute(MINI, {"c": "any-code"})
    assert start["data"]["authWechatStart"]["errors"][0]["code"] == "WECHAT_NOT_CONFIGURED"
    assert mini["data"]["authWechatMiniProgramLogin"]["errors"][0]["code"] == (
        "WECHAT_NOT_CONFIGURED"
    )
    assert await AuthWechatState.count() == 0
    assert await _written() == (0, 0, 0)


async def test_the_mini_program_login_never_reveals_the_session_key(
    wechat: FakeWechat, gql: GraphQLClient, caplog: pytest.LogCaptureFixture
) -> None:
    # given every log record captured
    caplog.set_level(logging.DEBUG)
    # when a mini-program user logs in, twice
    code = wechat.mini_code(WechatUser(openid="mini-openid"))
    response = await gql.http.post("/graphql", json={"query": MINI, "variables": {"c": code}})
    first = response.json()["data"]["authWechatMiniProgramLogin"]
    second = await _mini(gql, wechat.mini_code(WechatUser(openid="mini-openid")))
    # then the account was created once, keyed by the mini-program's app id and openid
    assert first["errors"] == []
    assert (first["newAccount"], second["newAccount"]) == (True, False)
    assert second["viewer"]["id"] == first["viewer"]["id"]
    assert first["viewer"]["wallet"]["balance"] == 10
    identity = await AuthIdentity.select().first()
    assert identity is not None
    assert identity["provider_uid"] == f"{MINI_APP_ID}:mini-openid"
    # and WeChat's session_key is in no answer, no row of any table and no log record
    assert len(wechat.session_keys) == 2
    dumped = [str(await table.select()) for table in all_tables()]
    for session_key in wechat.session_keys:
        assert session_key not in response.text
        assert not any(session_key in rows for rows in dumped)
        assert session_key not in caplog.text
    assert MINI_APP_SECRET not in caplog.text
    assert code not in caplog.text


async def test_a_unionid_reaches_one_account_from_the_web_and_the_mini_program(
    wechat: FakeWechat, gql: GraphQLClient
) -> None:
    web = await _callback(
        gql, wechat.web_code(WechatUser(openid="web-openid", unionid=UNIONID)), await _start(gql)
    )
    mini = await _mini(gql, wechat.mini_code(WechatUser(openid="mini-openid", unionid=UNIONID)))
    assert (web["newAccount"], mini["newAccount"]) == (True, False)
    assert mini["viewer"]["id"] == web["viewer"]["id"]
    assert await _written() == (1, 1, 2)


async def test_concurrent_callbacks_with_one_state_sign_in_exactly_once(
    wechat: FakeWechat, gql: GraphQLClient
) -> None:
    # given one state and four valid codes
    state = await _start(gql)
    codes = [wechat.web_code(WechatUser(openid=f"openid-{number}")) for number in range(4)]
    # when four callbacks with that state arrive at once
    payloads = await asyncio.gather(*[_callback(gql, code, state) for code in codes])
    # then exactly one signed in; the others were told the state is used
    signed_in = [payload for payload in payloads if payload["tokens"] is not None]
    refused = [payload["errors"][0]["code"] for payload in payloads if payload["errors"]]
    assert len(signed_in) == 1
    assert refused == ["WECHAT_STATE_INVALID"] * 3
    assert await _written() == (1, 1, 1)
    assert await AuthWechatState.count() == 0


def test_the_httpx_request_line_is_redacted(caplog: pytest.LogCaptureFixture) -> None:
    import resolvers.auth.wechat_api  # noqa: F401  (installs the filter)

    caplog.set_level(logging.INFO, logger="httpx")
    logging.getLogger("httpx").info(
        'HTTP Request: %s %s "%s %d %s"',
        "GET",
        f"https://api.weixin.qq.com/sns/jscode2session?appid=wx1&secret={MINI_APP_SECRET}"
        "&js_code=abc&grant_type=authorization_code",
        "HTTP/1.1",
        200,
        "OK",
    )
    assert caplog.messages == [
        "HTTP Request: GET https://api.weixin.qq.com/sns/jscode2session?appid=wx1&secret=***"
        '&js_code=***&grant_type=authorization_code "HTTP/1.1 200 OK"'
    ]
