"""Migration operators: the users listed in `database_migration_operator` may export and
import the platform's data; everyone else is refused (FORBIDDEN, or UNAUTHENTICATED when
not signed in)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from db.tables.auth import UserAccount
from db.tables.migration import DatabaseMigrationOperator
from resolvers import clock
from resolvers.auth.store.fragments import user_join
from resolvers.auth.users import canonical_username
from resolvers.errors import Forbidden, NotFound
from resolvers.principal import Principal


@dataclass(frozen=True, slots=True)
class Operator:
    user_id: str
    username: str
    created_at: datetime
    created_by: str
    note: str


async def is_operator(user_id: str) -> bool:
    return await DatabaseMigrationOperator.exists().where(
        DatabaseMigrationOperator.operator_identity == user_id
    )


async def require_operator(viewer: Principal) -> str:
    """The operator's user id; UNAUTHENTICATED when anonymous, FORBIDDEN for anyone (admins
    included) who is not listed."""
    user_id = viewer.require_user()
    if not await is_operator(user_id):
        raise Forbidden("Only migration operators may export or import data.")
    return user_id


async def _user_id(username: str) -> str:
    row = (
        await UserAccount.select(UserAccount.user_id)
        .where(UserAccount.username == canonical_username(username))
        .first()
    )
    if row is None:
        raise NotFound(f"No user named {username!r}.")
    return str(row["user_id"])


async def add_operator(*, username: str, created_by: str = "cli", note: str = "") -> str:
    """List the user named `username` as an operator (idempotent); returns the user id."""
    user_id = await _user_id(username)
    await DatabaseMigrationOperator.insert(
        DatabaseMigrationOperator(
            operator_identity=user_id, created_at=clock.now(), created_by=created_by, note=note
        )
    ).on_conflict(target=DatabaseMigrationOperator.operator_identity, action="DO NOTHING")
    return user_id


async def remove_operator(*, username: str) -> bool:
    """Take the user named `username` off the list; False when it was not on it."""
    user_id = await _user_id(username)
    rows = (
        await DatabaseMigrationOperator.delete()
        .where(DatabaseMigrationOperator.operator_identity == user_id)
        .returning(DatabaseMigrationOperator.operator_identity)
    )
    return bool(rows)


async def list_operators() -> list[Operator]:
    # Raw: a join to user_account through auth's fragment (no foreign key declared).
    rows = await DatabaseMigrationOperator.raw(
        "SELECT o.operator_identity, u.username, o.created_at, o.created_by, o.note "
        "FROM database_migration_operator o "
        f"{user_join('o.operator_identity')} "
        "ORDER BY o.operator_identity"
    )
    return [
        Operator(
            user_id=str(row["operator_identity"]),
            username=str(row["username"] or ""),
            created_at=row["created_at"],
            created_by=str(row["created_by"]),
            note=str(row["note"]),
        )
        for row in rows
    ]
