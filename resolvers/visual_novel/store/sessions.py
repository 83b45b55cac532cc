"""Visual-novel creation sessions: their statements, the draft column and the message log
the creation framework writes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from piccolo.columns import Column

from db.tables.visual_novel import VisualNovelAgentMessage, VisualNovelAgentSession
from resolvers.creation.adapters import MessageLog
from resolvers.creation.model import SessionState
from resolvers.play_types import store as shared
from resolvers.play_types.rows import as_json
from resolvers.play_types.store import lock_session_row
from resolvers.play_types.tables import DraftColumn
from resolvers.visual_novel.rows import VisualNovelSessionRow

DRAFT = DraftColumn(VisualNovelAgentSession, "draft_json")
# The creation framework's shared message statements run on it (the adapter's
# `messages`).
MESSAGES = MessageLog(VisualNovelAgentMessage)
SESSION_JSON = ("source_asset_ids_json", "draft_json", "pending_action_json")
# The session table's stage column.
STAGE_COLUMN = "status"


async def lock_session(
    *, session_id: str, owner_user_id: str | None, now: datetime, new_turn: bool = False
) -> SessionState | None:
    """Lock a session row (conditional UPDATE … RETURNING); None if there is none (of that
    owner)."""
    return await lock_session_row(
        VisualNovelAgentSession,
        json_keys=SESSION_JSON,
        session_id=session_id,
        owner_user_id=owner_user_id,
        now=now,
        new_turn=new_turn,
        stage_column=STAGE_COLUMN,
    )


async def insert_session(
    *,
    session_id: str,
    owner_user_id: str,
    source_mode: str,
    stage: str,
    seed_text: str,
    source_asset_ids: Sequence[str],
    pending_action: Any,
    now: datetime,
) -> VisualNovelSessionRow:
    """Insert a session with no draft yet."""
    session = VisualNovelAgentSession(
        session_id=session_id,
        owner_user_id=owner_user_id,
        source_mode=source_mode,
        status=stage,
        seed_text=seed_text,
        source_asset_ids_json=as_json(source_asset_ids),
        current_turn=0,
        progress_percent=0,
        draft_json=None,
        pending_action_json=as_json(pending_action),
        last_assistant_reply=None,
        published_profile_id=None,
        created_at=now,
        updated_at=now,
    )
    rows = await VisualNovelAgentSession.insert(session).returning(
        *VisualNovelAgentSession.all_columns()
    )
    return VisualNovelSessionRow.from_row(rows[0])


async def save_draft(
    *, session_id: str, draft_json: Any, pending_action: Any, now: datetime, **extra: Any
) -> VisualNovelSessionRow:
    """Write a session's draft and the agent's next proposal (`pending_action_json`), and
    the `extra` columns; the session after it."""
    values: dict[Column | str, Any] = {
        "draft_json": as_json(draft_json),
        "pending_action_json": as_json(pending_action),
    }
    values.update({column: value for column, value in extra.items()})
    values["updated_at"] = now
    table = VisualNovelAgentSession
    rows = await (
        table.update(values).where(table.session_id == session_id).returning(*table.all_columns())
    )
    return VisualNovelSessionRow.from_row(rows[0])


async def set_last_reply(*, session_id: str, reply: str, now: datetime) -> None:
    """Record the agent's last reply on a session whose draft stays as it is."""
    table = VisualNovelAgentSession
    await table.update({table.last_assistant_reply: reply, table.updated_at: now}).where(
        table.session_id == session_id
    )


async def owned_session(*, session_id: str, owner_user_id: str) -> VisualNovelSessionRow | None:
    """The owner's session; None for anyone else's or none."""
    found = await shared.owned_session(
        VisualNovelAgentSession, session_id=session_id, owner_user_id=owner_user_id
    )
    return VisualNovelSessionRow.from_row(found) if found is not None else None


async def sessions_by_ids(session_ids: Sequence[str]) -> dict[str, VisualNovelSessionRow]:
    """Sessions by id, one statement (none for no ids)."""
    rows = await shared.sessions_by_id(VisualNovelAgentSession, session_ids)
    return {row["session_id"]: VisualNovelSessionRow.from_row(row) for row in rows}
