"""Puzzle's creation-session statements: the lock every writer takes first, the agent's
replies, the form's writes and the owner's reads."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from db.tables.puzzle import PuzzleAgentMessage, PuzzleAgentSession
from resolvers.creation.adapters import MessageLog
from resolvers.creation.model import SessionState
from resolvers.pagination import Page
from resolvers.play_types import store as shared
from resolvers.play_types.rows import as_json
from resolvers.play_types.store import lock_session_row
from resolvers.puzzle.rows import PuzzleSessionRow

Session = PuzzleAgentSession
SESSION_JSON = ("anchor_pack_json", "draft_json")
# The conversation log the creation framework's message statements run on.
MESSAGES = MessageLog(PuzzleAgentMessage)


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


async def set_reply_draft(
    *,
    session_id: str,
    stage: str,
    progress: int,
    draft_json: dict[str, Any],
    anchor_pack: dict[str, Any],
    reply: str,
    now: datetime,
) -> None:
    """Write an agent reply with its draft, stage and progress."""
    await Session.update(
        {
            Session.stage: stage,
            Session.progress_percent: progress,
            Session.draft_json: as_json(draft_json),
            Session.anchor_pack_json: as_json(anchor_pack),
            Session.last_assistant_reply: reply,
            Session.updated_at: now,
        }
    ).where(Session.session_id == session_id)


async def insert_session(
    *,
    session_id: str,
    owner_user_id: str,
    seed_text: str,
    stage: str,
    anchor_pack: dict[str, Any],
    now: datetime,
) -> PuzzleSessionRow:
    """A new session with no draft yet."""
    rows = await Session.insert(
        Session(
            session_id=session_id,
            owner_user_id=owner_user_id,
            seed_text=seed_text,
            current_turn=0,
            progress_percent=0,
            stage=stage,
            anchor_pack_json=as_json(anchor_pack),
            draft_json=None,
            last_assistant_reply=None,
            published_profile_id=None,
            created_at=now,
            updated_at=now,
        )
    ).returning(*Session.all_columns())
    return PuzzleSessionRow.from_row(rows[0])


async def save_form(
    *,
    session_id: str,
    seed_text: str,
    draft_json: dict[str, Any] | None,
    anchor_pack: dict[str, Any],
    now: datetime,
) -> PuzzleSessionRow:
    """Write the form's seed and draft (`None`: no draft yet, stored as NULL)."""
    rows = (
        await Session.update(
            {
                Session.seed_text: seed_text,
                Session.draft_json: as_json(draft_json) if draft_json is not None else None,
                Session.anchor_pack_json: as_json(anchor_pack),
                Session.updated_at: now,
            }
        )
        .where(Session.session_id == session_id)
        .returning(*Session.all_columns())
    )
    return PuzzleSessionRow.from_row(rows[0])


async def owned_session(*, session_id: str, owner_user_id: str) -> PuzzleSessionRow | None:
    """The owner's session; None for anyone else's or none."""
    found = await shared.owned_session(Session, session_id=session_id, owner_user_id=owner_user_id)
    return PuzzleSessionRow.from_row(found) if found is not None else None


async def sessions_page(
    *, owner_user_id: str, size: int, after: tuple[datetime, str] | None
) -> Page[PuzzleSessionRow]:
    """A page of the owner's sessions after (updated_at, session_id), newest first."""
    page = await shared.sessions_page(Session, owner_user_id=owner_user_id, size=size, after=after)
    return page.map(PuzzleSessionRow.from_row)


async def sessions_by_id(session_ids: Sequence[str]) -> dict[str, PuzzleSessionRow]:
    """Sessions by id, one statement (none for no ids)."""
    rows = await shared.sessions_by_id(Session, session_ids)
    return {row["session_id"]: PuzzleSessionRow.from_row(row) for row in rows}
