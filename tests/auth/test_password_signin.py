"""Registration and password sign-in rules, called directly."""

from __future__ import annotations

import asyncio

import pytest

from db.tables.auth import AuthIdentity, RefreshSession, UserAccount
from db.tables.economy import ProfileDashboardState, ProfileWalletLedger
from resolvers.auth.errors import AuthError, AuthErrorCode
from resolvers.auth.password_signin import login_with_password, register_with_password
from tests.factories.auth import DEFAULT_PASSWORD, make_user
from tests.fixtures import FakeClock


async def _counts() -> tuple[int, ...]:
    return (
        await UserAccount.count(),
        await AuthIdentity.count(),
        await RefreshSession.count(),
        await ProfileDashboardState.count(),
        await ProfileWalletLedger.count(),
    )


async def test_registering_creates_account_identity_session_and_grant() -> None:
    # when someone registers
    sign_in = await register_with_password(username="Alice_Chen", password=DEFAULT_PASSWORD)
    # then the account is stored in canonical form, with one identity, session and grant
    assert sign_in.user.username == "alice_chen"
    assert sign_in.user.display_name == "Alice_Chen"
    assert len(sign_in.user.public_user_code) == 9
    assert sign_in.user.password_hash.startswith("$argon2id$")
    assert await _counts() == (1, 1, 1, 1, 1)


@pytest.mark.parametrize(
    ("username", "password", "code"),
    [
        ("ab", DEFAULT_PASSWORD, AuthErrorCode.USERNAME_INVALID),
        ("a" * 33, DEFAULT_PASSWORD, AuthErrorCode.USERNAME_INVALID),
        ("bad name!", DEFAULT_PASSWORD, AuthErrorCode.USERNAME_INVALID),
        ("carol", "short7!", AuthErrorCode.PASSWORD_TOO_SHORT),
        ("carol", "x" * 129, AuthErrorCode.PASSWORD_TOO_LONG),
    ],
)
async def test_invalid_registrations_are_refused_and_write_nothing(
    username: str, password: str, code: AuthErrorCode
) -> None:
    with pytest.raises(AuthError) as refused:
        await register_with_password(username=username, password=password)
    assert refused.value.code is code
    assert await _counts() == (0, 0, 0, 0, 0)


async def test_password_length_bounds_are_inclusive() -> None:
    await register_with_password(username="eight", password="x" * 8)
    await register_with_password(username="max128", password="y" * 128)
    assert await UserAccount.count() == 2


async def test_usernames_are_unique_ignoring_case_and_width() -> None:
    # given alice
    await make_user("alice")
    # when ALICE and full-width ａｌｉｃｅ register
    for taken in ("ALICE", "ａｌｉｃｅ"):
        with pytest.raises(AuthError) as refused:
            await register_with_password(username=taken, password=DEFAULT_PASSWORD)
        # then both are refused as taken, and nothing more was written
        assert refused.value.code is AuthErrorCode.USERNAME_TAKEN
    assert await _counts() == (1, 1, 1, 1, 1)


async def test_concurrent_registrations_of_one_username_create_one_account() -> None:
    # when eight clients register "bob" at once
    async def register() -> bool:
        try:
            await register_with_password(username="bob", password=DEFAULT_PASSWORD)
        except AuthError as error:
            assert error.code is AuthErrorCode.USERNAME_TAKEN
            return False
        return True

    outcomes = await asyncio.gather(*[register() for _ in range(8)])
    # then exactly one account (with one grant) exists
    assert sum(outcomes) == 1
    assert await _counts() == (1, 1, 1, 1, 1)


async def test_login_accepts_any_case_and_opens_a_new_session() -> None:
    user = await make_user("dora")
    sign_in = await login_with_password(username="DORA", password=DEFAULT_PASSWORD)
    assert sign_in.user.user_id == user.user_id
    assert sign_in.session_id != user.session_id
    assert await RefreshSession.count() == 2


async def test_wrong_password_and_unknown_user_get_the_same_error() -> None:
    await make_user("erin")
    for username, password in (("erin", "wrong password"), ("nobody", DEFAULT_PASSWORD)):
        with pytest.raises(AuthError) as refused:
            await login_with_password(username=username, password=password)
        assert refused.value.code is AuthErrorCode.INVALID_CREDENTIALS
    assert await RefreshSession.count() == 1


async def test_repeated_failures_lock_the_username_until_the_lockout_ends(
    clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a limit of 3 failures and a 15-minute lockout
    from settings import get_settings

    monkeypatch.setenv("PASSWORD_MAX_FAILURES", "3")
    get_settings.cache_clear()
    await make_user("fay")
    # when the wrong password is tried 3 times
    for _ in range(3):
        with pytest.raises(AuthError):
            await login_with_password(username="fay", password="wrong password")
    # then even the right password is refused while locked
    with pytest.raises(AuthError) as locked:
        await login_with_password(username="fay", password=DEFAULT_PASSWORD)
    assert locked.value.code is AuthErrorCode.TOO_MANY_ATTEMPTS
    # and once the lockout has passed, the right password works again
    clock.advance(minutes=15, seconds=1)
    sign_in = await login_with_password(username="fay", password=DEFAULT_PASSWORD)
    assert sign_in.user.username == "fay"
