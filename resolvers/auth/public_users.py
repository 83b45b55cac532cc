"""What anyone may read about a user: public code, display name, avatar. Nothing else."""

from __future__ import annotations

from db.tables.auth import UserAccount
from resolvers.auth.rows import PublicUserRow

PUBLIC_USER_COLUMNS = (
    UserAccount.user_id,
    UserAccount.public_user_code,
    UserAccount.display_name,
    UserAccount.avatar_url,
)


async def public_users_by_ids(user_ids: list[str]) -> dict[str, PublicUserRow]:
    """Public columns of the given users (one statement), keyed by user id."""
    if not user_ids:
        return {}
    rows = await UserAccount.select(*PUBLIC_USER_COLUMNS).where(UserAccount.user_id.is_in(user_ids))
    return {row["user_id"]: PublicUserRow.from_row(row) for row in rows}


async def public_user_by_code(public_user_code: str) -> PublicUserRow | None:
    row = await (
        UserAccount.select(*PUBLIC_USER_COLUMNS)
        .where(UserAccount.public_user_code == public_user_code)
        .first()
    )
    return PublicUserRow.from_row(row) if row is not None else None


async def public_user_by_id(user_id: str) -> PublicUserRow | None:
    """The user's public columns; None for an unknown user."""
    row = await (
        UserAccount.select(*PUBLIC_USER_COLUMNS).where(UserAccount.user_id == user_id).first()
    )
    return PublicUserRow.from_row(row) if row is not None else None


async def known_user_ids(user_ids: list[str]) -> set[str]:
    """Those of `user_ids` that name an account."""
    if not user_ids:
        return set()
    rows = await UserAccount.select(UserAccount.user_id).where(UserAccount.user_id.is_in(user_ids))
    return {row["user_id"] for row in rows}
