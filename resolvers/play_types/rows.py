"""Row helpers every creation adapter of a draft play type shares: JSON columns of returned
rows and the session's `SessionState` (the session row lock, one conditional UPDATE …
RETURNING every writer of a type takes first, is `store.lock_session_row`).

Statements other than a select with `load_json` (RETURNING rows, raw statements) return
JSON columns as text, so each type decodes the columns it names.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

from resolvers.creation.model import SessionState


def decoded(row: Any, keys: Sequence[str]) -> dict[str, Any]:
    """A row with its JSON columns decoded (RETURNING and raw rows hold them as text)."""
    result = dict(row)
    for key in keys:
        value = result.get(key)
        if isinstance(value, str | bytes):
            result[key] = orjson.loads(value)
    return result


def as_json(value: Any) -> str:
    return orjson.dumps(value).decode()


def session_state(row: Any, json_keys: Sequence[str], stage_column: str = "stage") -> SessionState:
    session = decoded(row, json_keys)
    return SessionState(
        session_id=session["session_id"],
        owner_user_id=session["owner_user_id"],
        seed_text=session["seed_text"],
        stage=session[stage_column],
        progress=session["progress_percent"],
        current_turn=session["current_turn"],
        draft=session["draft_json"],
        row=session,
    )
