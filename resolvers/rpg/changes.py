"""A row change as an RPG session's event reports it (`{"table", "op", "row"}` for
`storySessionEvents`), and the JSON column values the store writes."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

import orjson
from pydantic import TypeAdapter

from resolvers.rpg.records import StanceProfile

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

HIDDEN = frozenset({"content_json", "initial_prompt"})  # too big for an event
_STRINGS = TypeAdapter(list[str])


def npc_json(key: str, value: Any) -> str | None:
    """An npc_state JSON column, validated (`Vec<String>` or the stance profile)."""
    if key == "stance_profile":
        return dumps(StanceProfile.model_validate(value).as_json())
    return dumps(_STRINGS.validate_python(value))


def dumps(value: Any) -> str | None:
    return None if value is None else orjson.dumps(value).decode()


def shown_value(value: Any) -> Any:
    """A row's value as the change shows it: ISO text for times, values for enums."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def change(table: str, op: str, row: DataclassInstance) -> dict[str, Any]:
    """One change for the session's event (times as ISO text, big columns left out)."""
    shown = {
        field.name: shown_value(getattr(row, field.name))
        for field in fields(row)
        if field.name not in HIDDEN
    }
    return {"table": table, "op": op, "row": shown}
