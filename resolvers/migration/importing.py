"""Import: check an export, then apply it in one transaction (docs/ops.md "Import").

Two passes over the lines. The first checks everything that can be checked without
writing: the header, that every row names a carried table, each table's row count and
SHA-256 against the manifest, and the manifest's migrations against this database's. The
second applies the rows in one write transaction (EMPTY: every carried table must be
empty; UPSERT: rows replace those with the same primary key), rebuilds the read models,
and runs the caller's `finish` (deleting the upload's chunks) before the commit; the
caller's `claim` runs first in the transaction (locking the upload's chunks). Any
failure rolls everything back: a refused import changes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import orjson

from db.errors import is_rejected_row
from db.serving import ServerRunning, exclusive_import_lock
from db.transactions import write_transaction
from resolvers.migration.canonical import FORMAT, FORMAT_VERSION, columns_of, import_value
from resolvers.migration.errors import MigrationError, MigrationErrorCode
from resolvers.migration.read_models import rebuild_read_models
from resolvers.migration.store.catalog import applied_migrations, database_engine
from resolvers.migration.store.table_rows import holds_rows, insert_batch
from resolvers.migration.tables import carried_tables
from subscriptions.bus import publish
from subscriptions.channels import MIGRATION_RESYNC

LineSource = Callable[[], AsyncIterator[bytes]]
# Parameters per INSERT statement (both engines accept 32766).
MAX_PARAMETERS = 30000
MAX_BATCH_ROWS = 500


class ImportMode(StrEnum):
    EMPTY = "EMPTY"
    UPSERT = "UPSERT"


@dataclass(frozen=True, slots=True)
class ImportSummary:
    mode: ImportMode
    tables: int
    rows: int


def _refused(code: MigrationErrorCode, message: str) -> MigrationError:
    return MigrationError(code, message)


def _parse(line: bytes) -> dict[str, Any]:
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError:
        raise _refused(MigrationErrorCode.FORMAT_INVALID, "A line is not JSON.") from None
    if not isinstance(value, dict):
        raise _refused(MigrationErrorCode.FORMAT_INVALID, "A line is not a JSON object.")
    return value


async def verify(source: LineSource) -> dict[str, Any]:
    """Check the export without writing; returns its manifest."""
    tables = {str(t._meta.tablename) for t in carried_tables()}
    digests: dict[str, Any] = {}
    counts: dict[str, int] = {}
    manifest: dict[str, Any] | None = None
    first = True
    async for line in source():
        if manifest is not None:
            raise _refused(MigrationErrorCode.FORMAT_INVALID, "Lines after the manifest.")
        if first:
            header = _parse(line)
            if header.get("format") != FORMAT or header.get("version") != FORMAT_VERSION:
                raise _refused(
                    MigrationErrorCode.FORMAT_INVALID,
                    f"Not a {FORMAT} export of version {FORMAT_VERSION}.",
                )
            first = False
            continue
        if line.startswith(b'{"kind":"manifest"'):
            manifest = _parse(line)
            continue
        name = _parse(line).get("table")
        if not isinstance(name, str) or name not in tables:
            raise _refused(MigrationErrorCode.UNKNOWN_TABLE, f"Unknown table {name!r}.")
        if name not in digests:
            digests[name] = hashlib.sha256()
            counts[name] = 0
        digests[name].update(line)
        counts[name] += 1
    if manifest is None or not isinstance(manifest.get("tables"), dict):
        raise _refused(MigrationErrorCode.FORMAT_INVALID, "The manifest line is missing.")
    if sorted(manifest["tables"]) != sorted(tables):
        raise _refused(
            MigrationErrorCode.UNKNOWN_TABLE,
            "The manifest's tables are not this platform's carried tables.",
        )
    for name, expected in manifest["tables"].items():
        rows = counts.get(name, 0)
        digest = digests[name].hexdigest() if name in digests else hashlib.sha256().hexdigest()
        if expected != {"rows": rows, "sha256": digest}:
            raise _refused(
                MigrationErrorCode.CHECKSUM_MISMATCH,
                f"Table {name}: the rows do not match the manifest's count and checksum.",
            )
    if manifest.get("migrations") != await applied_migrations():
        raise _refused(
            MigrationErrorCode.MIGRATION_VERSION_MISMATCH,
            "The export was made at another schema version: migrate both to the same.",
        )
    return manifest


async def insert_rows(table: Any, rows: list[dict[str, Any]], mode: ImportMode) -> None:
    columns = columns_of(table)
    names = [str(column._meta.db_column_name) for column in columns]
    values: list[list[Any]] = []
    for row in rows:
        if sorted(row) != names:
            raise _refused(
                MigrationErrorCode.FORMAT_INVALID,
                f"A row of {table._meta.tablename} does not have the table's columns.",
            )
        try:
            values.append(
                [
                    import_value(column, row[name])
                    for column, name in zip(columns, names, strict=True)
                ]
            )
        except (TypeError, ValueError):
            raise _refused(
                MigrationErrorCode.FORMAT_INVALID,
                f"A row of {table._meta.tablename} holds a value of the wrong type.",
            ) from None
    await insert_batch(table, columns=names, rows=values, upsert=mode is ImportMode.UPSERT)


async def _apply(
    source: LineSource,
    mode: ImportMode,
    progress: Callable[[str, int], None] | None,
) -> int:
    tables = {str(t._meta.tablename): t for t in carried_tables()}
    if mode is ImportMode.EMPTY:
        for name in tables:
            if await holds_rows(tables[name]):
                raise _refused(
                    MigrationErrorCode.TARGET_NOT_EMPTY,
                    f"Table {name} holds rows: import with UPSERT, or into an empty database.",
                )
    total = 0
    batch: list[dict[str, Any]] = []
    batch_table = ""
    limit = MAX_BATCH_ROWS

    async def flush() -> None:
        nonlocal total
        if batch:
            await insert_rows(tables[batch_table], batch, mode)
            total += len(batch)
            if progress is not None:
                progress(batch_table, total)
            batch.clear()

    async for line in source():
        if not line.startswith(b'{"row"'):
            continue
        record = _parse(line)
        name = record["table"]
        if name != batch_table or len(batch) >= limit:
            await flush()
            batch_table = name
            limit = max(1, min(MAX_BATCH_ROWS, MAX_PARAMETERS // len(tables[name]._meta.columns)))
        row = record.get("row")
        if not isinstance(row, dict):
            raise _refused(MigrationErrorCode.FORMAT_INVALID, "A row line has no row.")
        batch.append(row)
    await flush()
    await rebuild_read_models()
    return total


async def run_import(
    source: LineSource,
    *,
    mode: ImportMode,
    claim: Callable[[], Awaitable[None]] | None = None,
    finish: Callable[[], Awaitable[None]] | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> ImportSummary:
    """Check, then apply `source` in one transaction; publish a resync after the commit.

    Refused (MigrationError) on SQLite while a server process is serving (SERVER_RUNNING),
    for a bad export (FORMAT_INVALID, UNKNOWN_TABLE, CHECKSUM_MISMATCH,
    MIGRATION_VERSION_MISMATCH), a non-empty target in EMPTY mode (TARGET_NOT_EMPTY) and a
    row the database refuses (ROW_REJECTED); then nothing was written.
    """
    mode = ImportMode(mode)
    engine = database_engine()
    try:
        with exclusive_import_lock(engine):
            manifest = await verify(source)
            try:
                async with write_transaction():
                    if claim is not None:
                        await claim()
                    rows = await _apply(source, mode, progress)
                    if finish is not None:
                        await finish()
            except MigrationError:
                raise
            except Exception as error:
                if is_rejected_row(error):
                    raise _refused(
                        MigrationErrorCode.ROW_REJECTED,
                        f"A row breaks a constraint of the database ({error}).",
                    ) from error
                raise
    except ServerRunning as error:
        raise _refused(
            MigrationErrorCode.SERVER_RUNNING,
            f"On SQLite an import runs only while no server (nor another import) runs ({error}).",
        ) from None
    await publish(MIGRATION_RESYNC, {"resync": True, "rows": rows})
    return ImportSummary(mode=mode, tables=len(manifest["tables"]), rows=rows)


def file_source(path: str) -> LineSource:
    """The lines of an export file (`manage.py import FILE`), read as they are needed."""

    async def lines() -> AsyncIterator[bytes]:
        # Buffered local reads: a thread per line would cost more than the read.
        with open(path, "rb") as handle:  # noqa: ASYNC230
            for line in handle:
                yield line

    return lines
