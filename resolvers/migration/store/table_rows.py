"""Statements on any carried table, handed in as its class: a keyset page of its rows, a
multi-row insert (or upsert) batch, whether it holds rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from piccolo.table import Table


async def table_page(
    table: type[Table], *, columns: Sequence[str], collation: str, after: Any, limit: int
) -> list[dict[str, Any]]:
    """Up to `limit` rows of `columns` after the primary key `after` (None: from the start),
    by primary key (text keys in `collation`)."""
    name = table._meta.tablename
    primary = table._meta.primary_key
    key = f'"{primary._meta.db_column_name}"'
    ordered = key + (collation if primary.value_type is str else "")
    selected = ", ".join(f'"{column}"' for column in columns)
    query = f'SELECT {selected} FROM "{name}"'
    bound = f" WHERE {ordered} > {{}}" if after is not None else ""
    # Raw: the keyset order takes an optional `COLLATE "C"`, which the builder cannot add.
    rows: list[dict[str, Any]] = await table.raw(
        f"{query}{bound} ORDER BY {ordered} LIMIT {limit}",
        *([after] if after is not None else []),
    )
    return rows


async def insert_batch(
    table: type[Table], *, columns: Sequence[str], rows: Sequence[Sequence[Any]], upsert: bool
) -> None:
    """Insert `rows` (values of `columns`, in that order) in one statement; with `upsert`,
    a row replaces the one with its primary key."""
    key = str(table._meta.primary_key._meta.db_column_name)
    placeholders = "(" + ", ".join("{}" for _ in columns) + ")"
    statement = (
        f'INSERT INTO "{table._meta.tablename}" ('
        + ", ".join(f'"{name}"' for name in columns)
        + ") VALUES "
        + ", ".join(placeholders for _ in rows)
    )
    if upsert:
        updates = ", ".join(f'"{name}" = excluded."{name}"' for name in columns if name != key)
        statement += f' ON CONFLICT ("{key}") DO UPDATE SET {updates}'
    # Raw: a multi-row VALUES batch of any carried table, of values already in column form.
    await table.raw(statement, *[value for row in rows for value in row])


async def holds_rows(table: type[Table]) -> bool:
    """Whether the table has a row."""
    return bool(await table.exists())
