"""A small fake of WeChat's API for tests, served by uvicorn on a loopback port.

It speaks `sns/oauth2/access_token`, `sns/userinfo` and `sns/jscode2session` with WeChat's
shapes: a JSON object on success, `{"errcode": …, "errmsg": …}` (HTTP 200) on refusal.
Codes are made by the test (`web_code`, `mini_code`) and work once: an unknown code is
40029, a code used again 40163. Some codes name a behaviour instead: `rate-limited` (45011),
`slow` (answers only when the test ends, so the client times out), `not-json` (200 with an
HTML body) and `server-error` (502). A wrong app id or secret is 40125. `calls` lists the
paths asked, in order (never their secrets).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from tests.redis_server import free_port

APP_ID = "wx0123456789abcdef"
APP_SECRET = "web-secret-5f1b2c9e7d"
MINI_APP_ID = "wxfedcba9876543210"
MINI_APP_SECRET = "mini-secret-8a7c6e4d2b"
BEHAVIOUR_CODES = ("rate-limited", "slow", "not-json", "server-error")
_numbers = itertools.count(1)


@dataclass(frozen=True)
class WechatUser:
    openid: str
    unionid: str | None = None
    nickname: str = "小明"
    headimgurl: str = "https://thirdwx.qlogo.cn/mmopen/avatar/132"


@dataclass
class FakeWechat:
    base_url: str = ""
    calls: list[str] = field(default_factory=list)
    web_codes: dict[str, WechatUser] = field(default_factory=dict)
    mini_codes: dict[str, WechatUser] = field(default_factory=dict)
    used_codes: set[str] = field(default_factory=set)
    access_tokens: dict[str, WechatUser] = field(default_factory=dict)
    session_keys: list[str] = field(default_factory=list)
    release: asyncio.Event = field(default_factory=asyncio.Event)

    def web_code(self, user: WechatUser) -> str:
        code = f"web-code-{next(_numbers)}"
        self.web_codes[code] = user
        return code

    def mini_code(self, user: WechatUser) -> str:
        code = f"mini-code-{next(_numbers)}"
        self.mini_codes[code] = user
        return code


def _error(errcode: int, errmsg: str) -> JSONResponse:
    return JSONResponse({"errcode": errcode, "errmsg": f"{errmsg}, rid: {secrets.token_hex(4)}"})


async def _behaviour(state: FakeWechat, code: str) -> Response | None:
    if code == "rate-limited":
        return _error(45011, "api minute-quota reach limit  mustslower  retry next minute")
    if code == "slow":
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(state.release.wait(), timeout=30)
        return _error(-1, "system error")
    if code == "not-json":
        return PlainTextResponse("<html><body>upstream error</body></html>")
    if code == "server-error":
        return PlainTextResponse("Bad Gateway", status_code=502)
    return None


def _take(state: FakeWechat, codes: dict[str, WechatUser], code: str) -> WechatUser | Response:
    if code in state.used_codes:
        return _error(40163, "code been used")
    user = codes.get(code)
    if user is None:
        return _error(40029, "invalid code")
    state.used_codes.add(code)
    return user


def build_app(state: FakeWechat) -> Starlette:
    async def access_token(request: Request) -> Response:
        state.calls.append("/sns/oauth2/access_token")
        query = request.query_params
        if (query.get("appid"), query.get("secret")) != (APP_ID, APP_SECRET):
            return _error(40125, "invalid appsecret")
        if query.get("grant_type") != "authorization_code":
            return _error(40002, "invalid grant_type")
        code = query.get("code", "")
        behaviour = await _behaviour(state, code)
        if behaviour is not None:
            return behaviour
        taken = _take(state, state.web_codes, code)
        if isinstance(taken, Response):
            return taken
        token = secrets.token_urlsafe(24)
        state.access_tokens[token] = taken
        body: dict[str, Any] = {
            "access_token": token,
            "expires_in": 7200,
            "refresh_token": secrets.token_urlsafe(24),
            "openid": taken.openid,
            "scope": "snsapi_login",
        }
        if taken.unionid:
            body["unionid"] = taken.unionid
        return JSONResponse(body)

    async def userinfo(request: Request) -> Response:
        state.calls.append("/sns/userinfo")
        user = state.access_tokens.get(request.query_params.get("access_token", ""))
        if user is None or request.query_params.get("openid") != user.openid:
            return _error(40001, "invalid credential, access_token is invalid or not latest")
        body: dict[str, Any] = {
            "openid": user.openid,
            "nickname": user.nickname,
            "sex": 0,
            "province": "",
            "city": "",
            "country": "",
            "headimgurl": user.headimgurl,
            "privilege": [],
        }
        if user.unionid:
            body["unionid"] = user.unionid
        return JSONResponse(body)

    async def jscode2session(request: Request) -> Response:
        state.calls.append("/sns/jscode2session")
        query = request.query_params
        if (query.get("appid"), query.get("secret")) != (MINI_APP_ID, MINI_APP_SECRET):
            return _error(40125, "invalid appsecret")
        code = query.get("js_code", "")
        behaviour = await _behaviour(state, code)
        if behaviour is not None:
            return behaviour
        taken = _take(state, state.mini_codes, code)
        if isinstance(taken, Response):
            return taken
        session_key = f"SESSIONKEY{secrets.token_hex(8)}"
        state.session_keys.append(session_key)
        body: dict[str, Any] = {"openid": taken.openid, "session_key": session_key}
        if taken.unionid:
            body["unionid"] = taken.unionid
        # WeChat answers jscode2session as text/plain.
        return JSONResponse(body, media_type="text/plain")

    return Starlette(
        routes=[
            Route("/sns/oauth2/access_token", access_token),
            Route("/sns/userinfo", userinfo),
            Route("/sns/jscode2session", jscode2session),
        ]
    )


@contextlib.asynccontextmanager
async def running_wechat() -> AsyncIterator[FakeWechat]:
    """The fake served on a free loopback port until the block ends."""
    port = free_port()
    state = FakeWechat(base_url=f"http://127.0.0.1:{port}")
    server = uvicorn.Server(
        uvicorn.Config(
            build_app(state),
            host="127.0.0.1",
            port=port,
            log_level="error",
            access_log=False,
            lifespan="off",
        )
    )
    task = asyncio.create_task(server.serve())
    try:
        async with asyncio.timeout(10):
            while not server.started:
                await asyncio.sleep(0.01)
        yield state
    finally:
        state.release.set()
        server.should_exit = True
        await task
