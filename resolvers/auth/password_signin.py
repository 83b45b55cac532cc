"""Registration and sign-in with username + password, with a failed-attempt lockout."""

from __future__ import annotations

from datetime import timedelta

from db.transactions import write_transaction
from resolvers import clock
from resolvers.auth.errors import AuthError, AuthErrorCode
from resolvers.auth.passwords import hash_password, validate_password, verify_password
from resolvers.auth.sessions import SignIn
from resolvers.auth.sign_in import sign_in_user
from resolvers.auth.store import throttles, users
from resolvers.auth.users import (
    canonical_username,
    create_user,
    validate_display_name,
    validate_username,
)
from settings import get_settings

PROVIDER = "password"


async def register_with_password(
    *,
    username: str,
    password: str,
    display_name: str | None = None,
    client_info: dict[str, str] | None = None,
    invite_code: str | None = None,
) -> SignIn:
    """Create an account (10 points granted once) and sign it in (a `daily_login` event).

    With `invite_code`, the new user is bound to its owner and both are rewarded, in the
    same transaction; a bad code is AuthError(INVITE_CODE_INVALID) and nothing is written.
    """
    canonical = validate_username(username)
    validate_password(password)
    name = validate_display_name(display_name, fallback=username.strip())
    password_hash = await hash_password(password)
    async with write_transaction():
        user = await create_user(
            username=canonical,
            display_name=name,
            login_method=PROVIDER,
            provider=PROVIDER,
            provider_uid=canonical,
            password_hash=password_hash,
            invite_code=invite_code,
        )
        sign_in = await sign_in_user(user=user, provider=PROVIDER, client_info=client_info)
        return sign_in


async def login_with_password(
    *, username: str, password: str, client_info: dict[str, str] | None = None
) -> SignIn:
    """Sign in; after `password_max_failures` failures the username is locked for a while."""
    canonical = canonical_username(username)
    throttle_key = f"password:{canonical}"
    now = clock.now()
    locked_until = await throttles.locked_until(throttle_key)
    if locked_until and locked_until > now:
        raise AuthError(
            AuthErrorCode.TOO_MANY_ATTEMPTS,
            "Too many failed attempts; try again later.",
            field="password",
        )
    account = await users.password_account(canonical)
    user, enabled = account if account is not None else (None, False)
    matches = await verify_password(user.password_hash if user and enabled else "", password)
    if user is None or not matches:
        await _record_failure(throttle_key)
        raise AuthError(
            AuthErrorCode.INVALID_CREDENTIALS, "Wrong username or password.", field="password"
        )
    async with write_transaction():
        await throttles.clear_throttle(throttle_key)
        sign_in = await sign_in_user(user=user, provider=PROVIDER, client_info=client_info)
        return sign_in


async def _record_failure(throttle_key: str) -> None:
    settings = get_settings()
    now = clock.now()
    lock_until = now + timedelta(seconds=settings.password_lockout_seconds)
    async with write_transaction():
        # Count the failure (a lock that has run out starts a fresh count) …
        await throttles.count_failure(throttle_key=throttle_key, now=now)
        # … and lock once the count reaches the limit.
        await throttles.lock_at_limit(
            throttle_key=throttle_key, max_failures=settings.password_max_failures, until=lock_until
        )
