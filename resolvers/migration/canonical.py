"""The canonical form of an export (docs/ops.md "Export format"): one JSON object per line,
keys sorted, no spaces; timestamps in UTC ISO 8601 with microseconds; JSON columns as JSON
values; REAL columns at single precision (7 significant digits, what PostgreSQL's `real`
keeps). The same rows give the same bytes on either engine."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import orjson
from piccolo.columns import (
    JSON,
    JSONB,
    BigInt,
    Boolean,
    Column,
    Integer,
    Real,
    SmallInt,
    Timestamp,
    Timestamptz,
)

FORMAT = "genarrative-export"
FORMAT_VERSION = 1


def dumps(value: dict[str, Any]) -> bytes:
    """One line of an export (with its newline)."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS) + b"\n"


def _timestamp(value: Any) -> str:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return str(value.astimezone(UTC).isoformat(timespec="microseconds"))


def export_value(column: Column, value: Any) -> Any:
    """A stored value in its canonical JSON form."""
    if value is None:
        return None
    if isinstance(column, Timestamptz | Timestamp):
        return _timestamp(value)
    if isinstance(column, JSON | JSONB):
        return json.loads(value) if isinstance(value, str | bytes) else value
    if isinstance(column, Boolean):
        return bool(value)
    if isinstance(column, Integer | BigInt | SmallInt):
        return int(value)
    if isinstance(column, Real):
        return float(format(float(value), ".7g"))
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def import_value(column: Column, value: Any) -> Any:
    """A canonical JSON value as a statement parameter of `column`."""
    if value is None:
        if isinstance(column, JSON | JSONB) and not column._meta.null:
            return "null"
        return None
    if isinstance(column, Timestamptz | Timestamp):
        moment = datetime.fromisoformat(value)
        return moment if isinstance(column, Timestamptz) else moment.replace(tzinfo=None)
    if isinstance(column, JSON | JSONB):
        return orjson.dumps(value).decode()
    if isinstance(column, Boolean):
        return bool(value)
    if isinstance(column, Integer | BigInt | SmallInt):
        return int(value)
    if isinstance(column, Real):
        return float(value)
    return value


def columns_of(table: type) -> list[Column]:
    """The table's columns sorted by name (the order of the canonical row)."""
    columns: list[Column] = table._meta.columns  # type: ignore[attr-defined]
    return sorted(columns, key=lambda c: str(c._meta.db_column_name))
