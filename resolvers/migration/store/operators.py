"""Migration operators (`database_migration_operator`) and the users they are."""

from __future__ import annotations

from db.tables.auth import UserAccount
from db.tables.migration import DatabaseMigrationOperator
from resolvers import clock
from resolvers.auth.store.fragments import user_join
from resolvers.migration.rows import Operator


async def is_listed(user_id: str) -> bool:
    """Whether the user is listed as an operator."""
    return bool(
        await DatabaseMigrationOperator.exists().where(
            DatabaseMigrationOperator.operator_identity == user_id
        )
    )


async def user_id_named(username: str) -> str | None:
    """The id of the user with the (canonical) username; None when there is none."""
    row = (
        await UserAccount.select(UserAccount.user_id)
        .where(UserAccount.username == username)
        .first()
    )
    return str(row["user_id"]) if row is not None else None


async def insert_operator(*, user_id: str, created_by: str, note: str) -> None:
    """List the user as an operator; nothing when listed already."""
    await DatabaseMigrationOperator.insert(
        DatabaseMigrationOperator(
            operator_identity=user_id, created_at=clock.now(), created_by=created_by, note=note
        )
    ).on_conflict(target=DatabaseMigrationOperator.operator_identity, action="DO NOTHING")


async def delete_operator(user_id: str) -> bool:
    """Take the user off the list; False when it was not on it."""
    rows = (
        await DatabaseMigrationOperator.delete()
        .where(DatabaseMigrationOperator.operator_identity == user_id)
        .returning(DatabaseMigrationOperator.operator_identity)
    )
    return bool(rows)


async def operators() -> list[Operator]:
    """Every operator with their username, by user id."""
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
