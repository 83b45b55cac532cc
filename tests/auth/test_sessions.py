"""Tokens and sessions: rotation, reuse detection, logout, logout-all, expiry."""

from __future__ import annotations

import pytest

from db.tables.auth import RefreshSession
from resolvers.auth.authenticate import principal_from_token
from resolvers.auth.errors import AuthError, AuthErrorCode
from resolvers.auth.sessions import active_sessions, logout, logout_all, refresh
from resolvers.auth.tokens import InvalidToken
from resolvers.principal import Role
from tests.factories.auth import make_user
from tests.fixtures import FakeClock


async def _revoked(session_id: str) -> bool:
    row = (
        await RefreshSession.select(RefreshSession.revoked_at)
        .where(RefreshSession.session_id == session_id)
        .first()
    )
    assert row is not None
    return row["revoked_at"] is not None


async def test_an_access_token_names_its_user_and_session() -> None:
    user = await make_user()
    principal = await principal_from_token(user.access_token)
    assert (principal.role, principal.user_id, principal.session_id) == (
        Role.USER,
        user.user_id,
        user.session_id,
    )


async def test_refresh_rotates_and_the_old_token_is_refused_as_reused() -> None:
    # given a user who refreshed once
    user = await make_user()
    rotated = await refresh(refresh_token=user.refresh_token)
    assert rotated.session_id == user.session_id
    assert rotated.refresh_token != user.refresh_token
    # when the old refresh token is presented again
    with pytest.raises(AuthError) as reused:
        await refresh(refresh_token=user.refresh_token)
    # then it is refused, the session is revoked, and the newest token died with it
    assert reused.value.code is AuthErrorCode.REFRESH_TOKEN_REUSED
    assert await _revoked(user.session_id)
    with pytest.raises(AuthError) as dead:
        await refresh(refresh_token=rotated.refresh_token)
    assert dead.value.code is AuthErrorCode.REFRESH_TOKEN_INVALID
    with pytest.raises(InvalidToken):
        await principal_from_token(rotated.access.token)


async def test_an_unknown_refresh_token_is_invalid() -> None:
    with pytest.raises(AuthError) as refused:
        await refresh(refresh_token="not-a-token")
    assert refused.value.code is AuthErrorCode.REFRESH_TOKEN_INVALID


async def test_an_expired_refresh_session_cannot_refresh(clock: FakeClock) -> None:
    user = await make_user()
    clock.advance(days=30, seconds=1)
    with pytest.raises(AuthError) as refused:
        await refresh(refresh_token=user.refresh_token)
    assert refused.value.code is AuthErrorCode.REFRESH_TOKEN_INVALID


async def test_access_tokens_expire_after_fifteen_minutes(clock: FakeClock) -> None:
    user = await make_user()
    clock.advance(minutes=14, seconds=58)
    assert (await principal_from_token(user.access_token)).user_id == user.user_id
    clock.advance(seconds=3)
    with pytest.raises(InvalidToken):
        await principal_from_token(user.access_token)


async def test_logout_ends_this_session_only() -> None:
    # given a user signed in twice
    from resolvers.auth.password_signin import login_with_password

    user = await make_user()
    second = await login_with_password(username=user.username, password=user.password)
    # when the first session logs out
    assert await logout(viewer=user.principal) == user.session_id
    # then its access token is refused and the other session still works
    with pytest.raises(InvalidToken):
        await principal_from_token(user.access_token)
    assert (await principal_from_token(second.access.token)).session_id == second.session_id
    assert [row.session_id for row in await active_sessions(user_id=user.user_id)] == [
        second.session_id
    ]


async def test_logout_of_another_users_session_is_refused_and_changes_nothing() -> None:
    owner = await make_user()
    intruder = await make_user()
    with pytest.raises(AuthError) as refused:
        await logout(viewer=intruder.principal, session_id=owner.session_id)
    assert refused.value.code is AuthErrorCode.SESSION_NOT_FOUND
    assert not await _revoked(owner.session_id)


async def test_logout_all_stops_every_token_at_once() -> None:
    from resolvers.auth.password_signin import login_with_password

    user = await make_user()
    second = await login_with_password(username=user.username, password=user.password)
    assert await logout_all(viewer=user.principal) == 2
    for token in (user.access_token, second.access.token):
        with pytest.raises(InvalidToken):
            await principal_from_token(token)
    for refresh_token in (user.refresh_token, second.refresh_token):
        with pytest.raises(AuthError):
            await refresh(refresh_token=refresh_token)
    assert await active_sessions(user_id=user.user_id) == []


async def test_a_forged_token_is_refused() -> None:
    import jwt

    user = await make_user()
    claims = jwt.decode(user.access_token, options={"verify_signature": False})
    forged = jwt.encode(
        {**claims, "sub": "someone-else"},
        "guessed-secret-that-is-long-enough-for-hs256",
        algorithm="HS256",
    )
    with pytest.raises(InvalidToken):
        await principal_from_token(forged)
    unsigned = jwt.encode(claims, None, algorithm="none")
    with pytest.raises(InvalidToken):
        await principal_from_token(unsigned)


async def test_service_tokens_work_until_revoked() -> None:
    from resolvers.auth.admin import issue_service_token, revoke_service_credential

    issued = await issue_service_token(name="worker", days=1)
    principal = await principal_from_token(issued.token)
    assert (principal.role, principal.user_id) == (Role.SERVICE, None)
    assert await revoke_service_credential(credential_id=issued.credential_id)
    with pytest.raises(InvalidToken):
        await principal_from_token(issued.token)
