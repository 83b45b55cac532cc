"""What anyone may read about a user: public code, display name, avatar. Nothing else."""

from __future__ import annotations

from resolvers.auth.rows import PublicUserRow
from resolvers.auth.store import users


async def public_users_by_ids(user_ids: list[str]) -> dict[str, PublicUserRow]:
    """Public columns of the given users (one statement), keyed by user id."""
    if not user_ids:
        return {}
    return {row.user_id: row for row in await users.public_users_with_ids(user_ids)}


async def public_user_by_code(public_user_code: str) -> PublicUserRow | None:
    return await users.public_user_with_code(public_user_code)


async def public_user_by_id(user_id: str) -> PublicUserRow | None:
    """The user's public columns; None for an unknown user."""
    return await users.public_user_with_id(user_id)


async def known_user_ids(user_ids: list[str]) -> set[str]:
    """Those of `user_ids` that name an account."""
    if not user_ids:
        return set()
    return await users.existing_user_ids(user_ids)
