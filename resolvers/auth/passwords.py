"""Password rules and argon2id hashing (off the event loop: hashing is CPU-bound)."""

from __future__ import annotations

import asyncio
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from resolvers.auth.errors import AuthError, AuthErrorCode
from settings import get_settings

PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 128


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    settings = get_settings()
    return PasswordHasher(
        time_cost=settings.argon2_time_cost,
        memory_cost=settings.argon2_memory_cost_kib,
        parallelism=settings.argon2_parallelism,
    )


def validate_password(password: str) -> None:
    """Refuse passwords outside 8..128 characters."""
    if len(password) < PASSWORD_MIN_LENGTH:
        raise AuthError(
            AuthErrorCode.PASSWORD_TOO_SHORT,
            f"Passwords have at least {PASSWORD_MIN_LENGTH} characters.",
            field="password",
        )
    if len(password) > PASSWORD_MAX_LENGTH:
        raise AuthError(
            AuthErrorCode.PASSWORD_TOO_LONG,
            f"Passwords have at most {PASSWORD_MAX_LENGTH} characters.",
            field="password",
        )


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hasher().hash, password)


async def verify_password(password_hash: str, password: str) -> bool:
    """True when `password` matches; a missing hash still costs one verification (timing)."""

    def verify() -> bool:
        try:
            return _hasher().verify(password_hash or _dummy_hash(), password) and bool(
                password_hash
            )
        except (VerificationError, InvalidHashError):
            return False

    return await asyncio.to_thread(verify)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher().hash("not-a-real-password")
