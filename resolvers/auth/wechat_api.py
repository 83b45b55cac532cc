"""WeChat's HTTP API: the web OAuth code exchange and the mini-program code exchange.

Every failure is an AuthError with a code (WeChat's `errcode`s 40029, 40163 and 45011, a
timeout, a 5xx or a body that is not JSON), never an exception of the HTTP client. WeChat
takes its secrets in the query string, so the app secret, codes, access tokens and the
mini-program `session_key` are kept out of log lines (the `httpx` logger's request line is
redacted) and out of error messages; the `session_key` is not even read.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

import httpx

from resolvers.auth.errors import AuthError, AuthErrorCode
from settings import get_settings

logger = logging.getLogger("genarrative.wechat")

GRANT_TYPE = "authorization_code"
MAX_CODE_LENGTH = 256
MAX_OPENID_LENGTH = 100
ERRCODE_INVALID_CODE = 40029
ERRCODE_CODE_USED = 40163
ERRCODE_RATE_LIMITED = 45011
ERRCODE_BUSY = -1

_SECRET_PARAMETER = re.compile(r"\b(secret|access_token|js_code|code|session_key)=[^&\s\"']*")


class RedactWechatSecrets(logging.Filter):
    """Masks `secret=…`, `code=…`, `access_token=…` (and the like) in a record's message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _SECRET_PARAMETER.sub(r"\1=***", message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


_redaction = RedactWechatSecrets()
# httpx logs each request line (with its query string) at INFO on its own logger.
logging.getLogger("httpx").addFilter(_redaction)


@dataclass(frozen=True, slots=True)
class WechatProfile:
    """Who WeChat says signed in. `provider_uid`: the unionid when WeChat gave one, else
    `{appid}:{openid}` (an openid is only unique within one app)."""

    app_id: str
    openid: str
    unionid: str | None
    nickname: str | None
    avatar_url: str | None

    @property
    def provider_uid(self) -> str:
        return self.unionid or self.openid_uid

    @property
    def openid_uid(self) -> str:
        return f"{self.app_id}:{self.openid}"


def check_code(code: str) -> str:
    """A WeChat code as given; empty or longer than 256 characters is refused unsent."""
    if not code.strip() or len(code) > MAX_CODE_LENGTH:
        raise AuthError(AuthErrorCode.WECHAT_CODE_INVALID, "Not a WeChat code.", field="code")
    return code.strip()


async def exchange_web_code(code: str) -> WechatProfile:
    """`sns/oauth2/access_token`, then `sns/userinfo`: the web (OAuth) sign-in's user."""
    settings = get_settings()
    app_id, secret = settings.wechat_app_id, settings.wechat_app_secret.get_secret_value()
    if not app_id or not secret:
        raise _not_configured("web")
    token = await _get(
        "/sns/oauth2/access_token",
        {"appid": app_id, "secret": secret, "code": check_code(code), "grant_type": GRANT_TYPE},
    )
    openid = _identifier(token, "openid")
    access_token = _text(token.get("access_token"))
    if openid is None or access_token is None:
        raise _unavailable("sns/oauth2/access_token answered without openid or access_token")
    info = await _get(
        "/sns/userinfo", {"access_token": access_token, "openid": openid, "lang": "zh_CN"}
    )
    return WechatProfile(
        app_id=app_id,
        openid=openid,
        unionid=_identifier(info, "unionid") or _identifier(token, "unionid"),
        nickname=_text(info.get("nickname")),
        avatar_url=_text(info.get("headimgurl")),
    )


async def exchange_mini_program_code(code: str) -> WechatProfile:
    """`sns/jscode2session`: the mini-program's user. Its `session_key` is dropped unread."""
    settings = get_settings()
    app_id = settings.wechat_mini_app_id
    secret = settings.wechat_mini_app_secret.get_secret_value()
    if not app_id or not secret:
        raise _not_configured("mini-program")
    session = await _get(
        "/sns/jscode2session",
        {"appid": app_id, "secret": secret, "js_code": check_code(code), "grant_type": GRANT_TYPE},
    )
    openid = _identifier(session, "openid")
    if openid is None:
        raise _unavailable("sns/jscode2session answered without openid")
    return WechatProfile(
        app_id=app_id,
        openid=openid,
        unionid=_identifier(session, "unionid"),
        nickname=None,
        avatar_url=None,
    )


async def _get(path: str, params: dict[str, str]) -> dict[str, Any]:
    """GET a WeChat endpoint; its JSON object, or the AuthError its failure maps to."""
    settings = get_settings()
    timeout = httpx.Timeout(settings.wechat_http_timeout_seconds)
    try:
        async with httpx.AsyncClient(
            base_url=settings.wechat_api_base_url, timeout=timeout
        ) as client:
            response = await client.get(path, params=params)
    except httpx.TimeoutException:
        logger.warning("wechat %s: no answer within %ss", path, timeout.read)
        raise AuthError(
            AuthErrorCode.WECHAT_TIMEOUT, "WeChat did not answer in time; try again."
        ) from None
    except httpx.HTTPError as error:
        raise _unavailable(f"{path}: {type(error).__name__}") from None
    if response.status_code != httpx.codes.OK:
        raise _unavailable(f"{path}: HTTP {response.status_code}")
    try:
        body = response.json()
    except ValueError:
        raise _unavailable(f"{path}: the answer is not JSON") from None
    if not isinstance(body, dict):
        raise _unavailable(f"{path}: the answer is not a JSON object")
    errcode = body.get("errcode", 0)
    if errcode not in (0, None):
        raise _refusal(path, errcode)
    return body


def _refusal(path: str, errcode: object) -> AuthError:
    logger.warning("wechat %s refused: errcode %s", path, errcode)
    if errcode == ERRCODE_INVALID_CODE:
        return AuthError(
            AuthErrorCode.WECHAT_CODE_INVALID, "WeChat does not know this code.", field="code"
        )
    if errcode == ERRCODE_CODE_USED:
        return AuthError(
            AuthErrorCode.WECHAT_CODE_USED,
            "This WeChat code was already used; sign in again.",
            field="code",
        )
    if errcode == ERRCODE_RATE_LIMITED:
        return AuthError(
            AuthErrorCode.WECHAT_RATE_LIMITED, "WeChat is limiting sign-ins; try again later."
        )
    if errcode == ERRCODE_BUSY:
        return AuthError(AuthErrorCode.WECHAT_UNAVAILABLE, "WeChat is busy; try again.")
    return AuthError(
        AuthErrorCode.WECHAT_REJECTED, f"WeChat refused the sign-in (errcode {errcode})."
    )


def _unavailable(reason: str) -> AuthError:
    logger.warning("wechat unavailable: %s", reason)
    return AuthError(
        AuthErrorCode.WECHAT_UNAVAILABLE, "WeChat could not be reached properly; try again."
    )


def _not_configured(which: str) -> AuthError:
    return AuthError(
        AuthErrorCode.WECHAT_NOT_CONFIGURED, f"WeChat {which} sign-in is not configured here."
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _identifier(body: dict[str, Any], key: str) -> str | None:
    value = _text(body.get(key))
    return value if value is not None and len(value) <= MAX_OPENID_LENGTH else None
