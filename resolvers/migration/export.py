"""Export: the carried tables as canonical NDJSON (docs/ops.md "Export format").

A header line, then every row of every carried table (tables by name, rows by primary key
in byte order), then the manifest: per table its row count and the SHA-256 of its lines,
and the schema's applied migrations. Rows are read in keyset pages of PAGE_ROWS, so memory
stays flat whatever the size of the data.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from piccolo.engine.postgres import PostgresEngine

from db.tables.auth import UserAccount
from resolvers.migration.canonical import FORMAT, FORMAT_VERSION, columns_of, dumps, export_value
from resolvers.migration.tables import carried_tables

PAGE_ROWS = 1000
# Collations whose order is the strings' byte order (SQLite compares bytes).
BYTE_ORDER_COLLATIONS = {"C", "POSIX", "C.UTF-8", "C.utf8", "ucs_basic"}


async def applied_migrations() -> list[str]:
    """The schema's version: every applied migration as `app:id`, sorted."""
    # Raw: Piccolo's own `migration` table, which has no Table class among ours.
    rows = await UserAccount.raw("SELECT app_name, name FROM migration")
    return sorted(f"{row['app_name']}:{row['name']}" for row in rows)


async def key_collation() -> str:
    """What makes PostgreSQL order text keys by bytes, like SQLite: nothing when the
    database's collation already does (then the primary key's index serves the pages)."""
    if not isinstance(UserAccount._meta.db, PostgresEngine):
        return ""
    # Raw: PostgreSQL's catalog (pg_database), which has no Table class.
    rows = await UserAccount.raw(
        "SELECT datcollate FROM pg_database WHERE datname = current_database()"
    )
    return "" if rows and rows[0]["datcollate"] in BYTE_ORDER_COLLATIONS else ' COLLATE "C"'


async def table_rows(table: Any, collation: str) -> AsyncIterator[dict[str, Any]]:
    """The table's rows in canonical form, by primary key, one keyset page at a time."""
    name = table._meta.tablename
    columns = columns_of(table)
    primary = table._meta.primary_key
    key = f'"{primary._meta.db_column_name}"'
    ordered = key + (collation if primary.value_type is str else "")
    selected = ", ".join(f'"{column._meta.db_column_name}"' for column in columns)
    query = f'SELECT {selected} FROM "{name}"'
    after: Any = None
    while True:
        bound = f" WHERE {ordered} > {{}}" if after is not None else ""
        # Raw: the keyset order takes an optional `COLLATE "C"`, which the builder cannot add.
        rows = await table.raw(
            f"{query}{bound} ORDER BY {ordered} LIMIT {PAGE_ROWS}",
            *([after] if after is not None else []),
        )
        for row in rows:
            yield {
                str(column._meta.db_column_name): export_value(
                    column, row[column._meta.db_column_name]
                )
                for column in columns
            }
        if len(rows) < PAGE_ROWS:
            return
        after = rows[-1][primary._meta.db_column_name]


async def export_lines() -> AsyncIterator[bytes]:
    """The whole export, line by line."""
    tables = carried_tables()
    migrations = await applied_migrations()
    collation = await key_collation()
    yield dumps({"format": FORMAT, "kind": "header", "version": FORMAT_VERSION})
    manifest: dict[str, dict[str, Any]] = {}
    for table in tables:
        name = str(table._meta.tablename)
        digest = hashlib.sha256()
        count = 0
        async for row in table_rows(table, collation):
            line = dumps({"row": row, "table": name})
            digest.update(line)
            count += 1
            yield line
        manifest[name] = {"rows": count, "sha256": digest.hexdigest()}
    yield dumps({"kind": "manifest", "migrations": migrations, "tables": manifest})


@dataclass(frozen=True, slots=True)
class ExportSummary:
    tables: int
    rows: int
    bytes: int


async def export_to_file(path: Path) -> ExportSummary:
    """Write the export to `path` (`manage.py export FILE`)."""
    rows = written = tables = 0
    with path.open("wb") as out:
        async for line in export_lines():
            out.write(line)
            written += len(line)
            if line.startswith(b'{"row"'):
                rows += 1
            elif line.startswith(b'{"kind":"manifest"'):
                tables = line.count(b'"sha256"')
    return ExportSummary(tables=tables, rows=rows, bytes=written)
