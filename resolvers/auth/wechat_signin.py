"""WeChat sign-in: the web OAuth flow (start, callback) and the mini-program login.

`start_wechat_sign_in` stores a `state` row (its hash, the redirect URI, an expiry) and
returns WeChat's authorize URL. `complete_wechat_sign_in` checks the state (read only), asks
WeChat who signed in (no transaction is held over the network), then in one write
transaction consumes the state with one conditional DELETE … RETURNING (of concurrent
callbacks with one state, exactly one gets the row), finds or creates the account by its
`wechat` identity and signs in through `resolvers.auth.sign_in` like every other method.
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode, urlsplit

from db.errors import is_unique_violation
from db.transactions import write_transaction
from resolvers import clock
from resolvers.auth import wechat_api
from resolvers.auth.errors import AuthError, AuthErrorCode
from resolvers.auth.rows import UserAccountRow
from resolvers.auth.sessions import SignIn
from resolvers.auth.sign_in import sign_in_user
from resolvers.auth.store import users, wechat_states
from resolvers.auth.users import DISPLAY_NAME_MAX_LENGTH, create_user, get_user
from resolvers.auth.wechat_api import WechatProfile
from resolvers.ids import new_id
from settings import get_settings

PROVIDER = "wechat"
DEFAULT_DISPLAY_NAME = "微信用户"
MAX_REDIRECT_URI_LENGTH = 1024
MAX_STATE_LENGTH = 128
MAX_AVATAR_URL_LENGTH = 1024


@dataclass(frozen=True, slots=True)
class WechatStart:
    authorize_url: str
    state: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class WechatSignIn:
    sign_in: SignIn
    created: bool
    redirect_uri: str | None


def allowed_redirect_uri(redirect_uri: str) -> str:
    """`redirect_uri` if an allowlist entry has its scheme, host, port and path (it may add
    a query string, never a fragment); else AuthError(WECHAT_REDIRECT_URI_NOT_ALLOWED)."""
    given = urlsplit(redirect_uri) if len(redirect_uri) <= MAX_REDIRECT_URI_LENGTH else None
    for entry in get_settings().wechat_redirect_allowlist:
        allowed = urlsplit(entry)
        if (
            given is not None
            and given.scheme in ("http", "https")
            and not given.fragment
            and (given.scheme, given.netloc, given.path)
            == (allowed.scheme, allowed.netloc, allowed.path)
        ):
            return redirect_uri
    raise AuthError(
        AuthErrorCode.WECHAT_REDIRECT_URI_NOT_ALLOWED,
        "This redirect URI is not on the allowlist.",
        field="redirectUri",
    )


def _state_hash(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


async def start_wechat_sign_in(*, redirect_uri: str) -> WechatStart:
    """A new single-use `state` (a row, expiring after WECHAT_STATE_TTL_SECONDS) and the
    authorize URL carrying it; expired states are swept in the same transaction."""
    settings = get_settings()
    if not settings.wechat_app_id or not settings.wechat_app_secret.get_secret_value():
        raise AuthError(
            AuthErrorCode.WECHAT_NOT_CONFIGURED, "WeChat web sign-in is not configured here."
        )
    allowed_redirect_uri(redirect_uri)
    state = secrets.token_urlsafe(32)
    now = clock.now()
    expires_at = now + timedelta(seconds=settings.wechat_state_ttl_seconds)
    async with write_transaction():
        await wechat_states.sweep_expired(now)
        await wechat_states.insert_state(
            state_hash=_state_hash(state), redirect_uri=redirect_uri, expires_at=expires_at, now=now
        )
    query = urlencode(
        {
            "appid": settings.wechat_app_id,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": settings.wechat_scope,
            "state": state,
        }
    )
    return WechatStart(
        authorize_url=f"{settings.wechat_authorize_url}?{query}#wechat_redirect",
        state=state,
        expires_at=expires_at,
    )


async def complete_wechat_sign_in(
    *,
    code: str,
    state: str,
    client_info: dict[str, str] | None = None,
    invite_code: str | None = None,
) -> WechatSignIn:
    """The callback: a known, unexpired `state` (else WECHAT_STATE_INVALID / _EXPIRED,
    WeChat not asked), the code exchanged, the state consumed, the user signed in."""
    if not state or len(state) > MAX_STATE_LENGTH:
        raise _state_invalid()
    state_hash = _state_hash(state)
    expires_at = await wechat_states.state_expiry(state_hash)
    if expires_at is None:
        raise _state_invalid()
    if expires_at <= clock.now():
        raise AuthError(
            AuthErrorCode.WECHAT_STATE_EXPIRED,
            "This sign-in took too long; start again.",
            field="state",
        )
    profile = await wechat_api.exchange_web_code(code)
    return await _sign_in(profile, client_info, invite_code, state_hash=state_hash)


async def login_with_wechat_mini_program(
    *,
    code: str,
    client_info: dict[str, str] | None = None,
    invite_code: str | None = None,
) -> WechatSignIn:
    """The mini-program login: `wx.login()`'s code exchanged at `sns/jscode2session`."""
    profile = await wechat_api.exchange_mini_program_code(code)
    return await _sign_in(profile, client_info, invite_code, state_hash=None)


async def _sign_in(
    profile: WechatProfile,
    client_info: dict[str, str] | None,
    invite_code: str | None,
    *,
    state_hash: str | None,
) -> WechatSignIn:
    # A first sign-in racing another one of the same WeChat user: the unique
    # (provider, provider_uid) index lets one create the account; the other tries again
    # once and finds it (its state, rolled back with the failed transaction, is intact).
    for attempt in (1, 2):
        try:
            async with write_transaction():
                redirect_uri = await _consume_state(state_hash) if state_hash else None
                user, created = await _find_or_create(profile, invite_code)
                sign_in = await sign_in_user(user=user, provider=PROVIDER, client_info=client_info)
                return WechatSignIn(sign_in=sign_in, created=created, redirect_uri=redirect_uri)
        except Exception as error:
            if attempt == 1 and is_unique_violation(error):
                continue
            raise
    raise AssertionError("unreachable")  # pragma: no cover


async def _consume_state(state_hash: str) -> str:
    redirect_uri = await wechat_states.consume_state(state_hash=state_hash, now=clock.now())
    if redirect_uri is None:
        raise _state_invalid()
    return redirect_uri


async def _find_or_create(
    profile: WechatProfile, invite_code: str | None
) -> tuple[UserAccountRow, bool]:
    """The account of this WeChat user: by its unionid, else by `{appid}:{openid}` (an
    account made before the app had a unionid), else a new one (10 points, once)."""
    keys = list(dict.fromkeys([profile.provider_uid, profile.openid_uid]))
    by_key = await users.identity_owners(provider=PROVIDER, provider_uids=keys)
    for key in keys:
        if key in by_key:
            user = await get_user(by_key[key])
            assert user is not None
            return user, False
    user = await create_user(
        username=f"wx_{new_id().lower()}",
        display_name=_display_name(profile.nickname),
        login_method=PROVIDER,
        provider=PROVIDER,
        provider_uid=profile.provider_uid,
        provider_union_id=profile.unionid,
        avatar_url=_avatar_url(profile.avatar_url),
        invite_code=invite_code,
    )
    return user, True


def _display_name(nickname: str | None) -> str:
    """WeChat's nickname, normalised and cut to 32 characters; 微信用户 when unusable."""
    name = unicodedata.normalize("NFKC", nickname or "").strip()[:DISPLAY_NAME_MAX_LENGTH]
    return name if name and name.isprintable() else DEFAULT_DISPLAY_NAME


def _avatar_url(url: str | None) -> str | None:
    if url and len(url) <= MAX_AVATAR_URL_LENGTH and urlsplit(url).scheme in ("http", "https"):
        return url
    return None


def _state_invalid() -> AuthError:
    return AuthError(
        AuthErrorCode.WECHAT_STATE_INVALID,
        "Unknown or already used sign-in state; start again.",
        field="state",
    )
