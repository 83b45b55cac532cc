"""The legacy auth store's JSON document (docs/ops.md "Legacy auth store"): imported into
`user_account`, `auth_identity` and `refresh_session` idempotently (rows upserted by their
ids, the document kept in `auth_store_snapshot`), and exported from them in the same
format.

Each entry of `users`, `identities` and `refreshSessions` has its table's columns as
camelCase keys; values in the export's canonical form (UTC ISO timestamps, JSON columns as
JSON). Nullable fields may be left out (null).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
from piccolo.table import Table

from db.errors import is_rejected_row
from db.transactions import write_transaction
from resolvers.migration.canonical import columns_of, dumps
from resolvers.migration.errors import MigrationError, MigrationErrorCode
from resolvers.migration.export import key_collation, table_rows
from resolvers.migration.importing import ImportMode, insert_rows
from resolvers.migration.store.auth_snapshot import keep_snapshot
from resolvers.migration.tables import table_named

SNAPSHOT_ID = "default"
STORE_VERSION = 1
# Each section of the document and the auth table whose rows it holds.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("users", "user_account"),
    ("identities", "auth_identity"),
    ("refreshSessions", "refresh_session"),
)


@dataclass(frozen=True, slots=True)
class AuthStoreSummary:
    users: int
    identities: int
    refresh_sessions: int


def camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(part.title() for part in rest)


def _invalid(message: str) -> MigrationError:
    return MigrationError(MigrationErrorCode.SNAPSHOT_INVALID, message)


def _rows(section: str, table: type[Table], entries: Any) -> list[dict[str, Any]]:
    if not isinstance(entries, list):
        raise _invalid(f"`{section}` must be a list.")
    columns = {camel(str(c._meta.db_column_name)): c for c in columns_of(table)}
    rows = []
    for entry in entries:
        if not isinstance(entry, dict) or set(entry) - set(columns):
            raise _invalid(f"An entry of `{section}` has fields its table does not know.")
        missing = [key for key, column in columns.items() if key not in entry]
        if any(not columns[key]._meta.null for key in missing):
            raise _invalid(f"An entry of `{section}` lacks a required field.")
        rows.append({str(columns[key]._meta.db_column_name): entry.get(key) for key in columns})
    return rows


async def import_auth_store(document: bytes) -> AuthStoreSummary:
    """Upsert the document's users, identities and refresh sessions in one transaction
    and keep the document; importing it again changes nothing. SNAPSHOT_INVALID for a
    document of another shape, ROW_REJECTED for rows the database refuses."""
    try:
        parsed = orjson.loads(document)
    except orjson.JSONDecodeError:
        raise _invalid("The document is not JSON.") from None
    if not isinstance(parsed, dict) or parsed.get("version") != STORE_VERSION:
        raise _invalid(f"The document must be an object with version {STORE_VERSION}.")
    sections = {
        name: _rows(name, table_named(table), parsed.get(name, [])) for name, table in SECTIONS
    }
    canonical = dumps(parsed).decode().rstrip("\n")
    try:
        async with write_transaction():
            for name, table in SECTIONS:
                rows = sections[name]
                for start in range(0, len(rows), 200):
                    await insert_rows(
                        table_named(table), rows[start : start + 200], ImportMode.UPSERT
                    )
            await keep_snapshot(snapshot_id=SNAPSHOT_ID, document=canonical)
    except MigrationError as error:
        raise _invalid(error.message) from None
    except Exception as error:
        if is_rejected_row(error):
            raise MigrationError(
                MigrationErrorCode.ROW_REJECTED, f"A row breaks a constraint ({error})."
            ) from error
        raise
    return AuthStoreSummary(
        users=len(sections["users"]),
        identities=len(sections["identities"]),
        refresh_sessions=len(sections["refreshSessions"]),
    )


async def export_auth_store() -> bytes:
    """The auth tables as a legacy auth store document (keys sorted, rows by id). It holds
    password and refresh-token hashes: keep it secret."""
    collation = await key_collation()
    document: dict[str, Any] = {"version": STORE_VERSION}
    for name, table in SECTIONS:
        document[name] = [
            {camel(key): value for key, value in row.items()}
            async for row in table_rows(table_named(table), collation)
        ]
    return dumps(document)
