"""Row helpers every creation adapter of a draft play type shares: JSON columns of returned
rows, the session's `SessionState`, and the session row lock.

Statements other than a select with `load_json` (RETURNING rows, raw statements) return
JSON columns as text, so each type decodes the columns it names; the lock is one
conditional UPDATE … RETURNING on the type's session table, which every writer of that
type takes first.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

import orjson
from piccolo.columns import Column, Integer
from piccolo.custom_types import Combinable
from piccolo.table import Table

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


async def lock_session_row(
    table: type[Table],
    *,
    json_keys: Sequence[str],
    session_id: str,
    owner_user_id: str | None,
    now: datetime,
    new_turn: bool,
    stage_column: str = "stage",
) -> SessionState | None:
    """Lock a session row of `table` (conditional UPDATE … RETURNING); None if there is no
    such session (of that owner). `stage_column` names the session's stage column."""
    column = table._meta.get_column_by_name
    values: dict[Column | str, Any] = {column("updated_at"): now}
    if new_turn:
        turn = cast(Integer, column("current_turn"))
        values[turn] = turn + 1
    where: Combinable = column("session_id") == session_id
    if owner_user_id is not None:
        where &= column("owner_user_id") == owner_user_id
    rows = await table.update(values).where(where).returning(*table.all_columns())
    return session_state(rows[0], json_keys, stage_column) if rows else None
