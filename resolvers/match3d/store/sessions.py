"""Match3D's creation-session statements: the lock every writer takes first, the agent's
replies, draft writes and the owner's reads."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from piccolo.columns import Column

from db.tables.match3d import Match3dAgentMessage, Match3dAgentSession
from resolvers.creation.adapters import MessageLog
from resolvers.creation.model import SessionState
from resolvers.match3d.rows import Match3dSessionRow
from resolvers.pagination import Page
from resolvers.play_types import store as shared
from resolvers.play_types.store import lock_session_row

Session = Match3dAgentSession
SESSION_JSON = ("config_json", "draft_json")
# The conversation log the creation framework's message statements run on.
MESSAGES = MessageLog(Match3dAgentMessage)


async def lock_session(
    *, session_id: str, owner_user_id: str | None, now: datetime, new_turn: bool = False
) -> SessionState | None:
    """Lock the (owner's) session row, UPDATE … RETURNING; None when there is none."""
    return await lock_session_row(
        Session,
        json_keys=SESSION_JSON,
        session_id=session_id,
        owner_user_id=owner_user_id,
        now=now,
        new_turn=new_turn,
    )


async def set_reply(*, session_id: str, reply: str, now: datetime) -> None:
    """Keep an agent reply that brought no draft."""
    await Session.update({Session.last_assistant_reply: reply, Session.updated_at: now}).where(
        Session.session_id == session_id
    )


async def set_draft(
    *,
    session_id: str,
    draft_json: dict[str, Any],
    config_json: dict[str, Any],
    now: datetime,
    **extra: Any,
) -> Match3dSessionRow:
    """Write a session's draft and config, and the `extra` columns (seed_text, stage, …)."""
    values: dict[Column | str, Any] = {
        Session.draft_json: draft_json,
        Session.config_json: config_json,
        Session.updated_at: now,
    }
    rows = (
        await Session.update(values, **extra)
        .where(Session.session_id == session_id)
        .returning(*Session.all_columns())
    )
    return Match3dSessionRow.from_row(rows[0])


async def insert_session(
    *,
    session_id: str,
    owner_user_id: str,
    seed_text: str,
    stage: str,
    config_json: dict[str, Any],
    now: datetime,
) -> Match3dSessionRow:
    """A new session with no draft yet."""
    rows = await Session.insert(
        Session(
            session_id=session_id,
            owner_user_id=owner_user_id,
            seed_text=seed_text,
            current_turn=0,
            progress_percent=0,
            stage=stage,
            config_json=config_json,
            draft_json=None,
            last_assistant_reply=None,
            published_profile_id=None,
            created_at=now,
            updated_at=now,
        )
    ).returning(*Session.all_columns())
    return Match3dSessionRow.from_row(rows[0])


async def owned_session(*, session_id: str, owner_user_id: str) -> Match3dSessionRow | None:
    """The owner's session; None for anyone else's or none."""
    found = await shared.owned_session(Session, session_id=session_id, owner_user_id=owner_user_id)
    return Match3dSessionRow.from_row(found) if found is not None else None


async def sessions_page(
    *, owner_user_id: str, size: int, after: tuple[datetime, str] | None
) -> Page[Match3dSessionRow]:
    """A page of the owner's sessions after (updated_at, session_id), newest first."""
    page = await shared.sessions_page(Session, owner_user_id=owner_user_id, size=size, after=after)
    return page.map(Match3dSessionRow.from_row)


async def sessions_by_id(session_ids: Sequence[str]) -> dict[str, Match3dSessionRow]:
    """Sessions by id, one statement (none for no ids)."""
    rows = await shared.sessions_by_id(Session, session_ids)
    return {row["session_id"]: Match3dSessionRow.from_row(row) for row in rows}
