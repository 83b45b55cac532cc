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

from resolvers.migration.canonical import FORMAT, FORMAT_VERSION, columns_of, dumps, export_value
from resolvers.migration.store.catalog import (
    applied_migrations,
    database_collation,
    database_engine,
)
from resolvers.migration.store.table_rows import table_page
from resolvers.migration.tables import carried_tables

PAGE_ROWS = 1000
# Collations whose order is the strings' byte order (SQLite compares bytes).
BYTE_ORDER_COLLATIONS = {"C", "POSIX", "C.UTF-8", "C.utf8", "ucs_basic"}


async def key_collation() -> str:
    """What makes PostgreSQL order text keys by bytes, like SQLite: nothing when the
    database's collation already does (then the primary key's index serves the pages)."""
    if not isinstance(database_engine(), PostgresEngine):
        return ""
    return "" if await database_collation() in BYTE_ORDER_COLLATIONS else ' COLLATE "C"'


async def table_rows(table: Any, collation: str) -> AsyncIterator[dict[str, Any]]:
    """The table's rows in canonical form, by primary key, one keyset page at a time."""
    columns = columns_of(table)
    names = [str(column._meta.db_column_name) for column in columns]
    key = table._meta.primary_key._meta.db_column_name
    after: Any = None
    while True:
        rows = await table_page(
            table, columns=names, collation=collation, after=after, limit=PAGE_ROWS
        )
        for row in rows:
            yield {
                name: export_value(column, row[name])
                for column, name in zip(columns, names, strict=True)
            }
        if len(rows) < PAGE_ROWS:
            return
        after = rows[-1][key]


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
