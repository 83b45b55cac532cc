"""AI-task rows from raw statements: JSON columns decoded like `load_json=True`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

TASK_JSON = ("request_payload_json", "latest_structured_payload_json")
STAGE_JSON = ("structured_payload_json", "warning_messages")


def _loaded(row: dict[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    """Raw statements return JSON columns as text: decode them like `load_json=True`."""
    for key in keys:
        value = row.get(key)
        if isinstance(value, str | bytes):
            row[key] = orjson.loads(value)
    return row


def task_row(row: dict[str, Any]) -> dict[str, Any]:
    return _loaded(row, TASK_JSON)


def stage_row(row: dict[str, Any]) -> dict[str, Any]:
    row = _loaded(row, STAGE_JSON)
    if row.get("warning_messages") is None:
        row["warning_messages"] = []
    return row
