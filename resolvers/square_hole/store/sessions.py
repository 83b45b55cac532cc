"""Square-hole creation sessions: their statements, the draft column and the message log
the creation framework writes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from db.tables.square_hole import SquareHoleAgentMessage, SquareHoleAgentSession
from resolvers.creation.adapters import MessageLog
from resolvers.creation.model import SessionState
from resolvers.pagination import Page, keyset_page
from resolvers.play_types import store as shared
from resolvers.play_types.store import lock_session_row
from resolvers.play_types.tables import DraftColumn
from resolvers.square_hole.rows import SquareHoleSessionRow

DRAFT = DraftColumn(SquareHoleAgentSession, "draft_json")
# The creation framework's shared message statements run on it (the adapter's
# `messages`).
MESSAGES = MessageLog(SquareHoleAgentMessage)
SESSION_JSON = ("config_json", "draft_json")


async def lock_session(
    *, session_id: str, owner_user_id: str | None, now: datetime, new_turn: bool = False
) -> SessionState | None:
    """Lock a session row (conditional UPDATE … RETURNING); None if there is no such
    session (of that owner)."""
    return await lock_session_row(
        SquareHoleAgentSession,
        json_keys=SESSION_JSON,
        session_id=session_id,
        owner_user_id=owner_user_id,
        now=now,
        new_turn=new_turn,
    )


async def insert_session(
    *,
    session_id: str,
    owner_user_id: str,
    seed_text: str,
    stage: str,
    config_json: Any,
    now: datetime,
) -> SquareHoleSessionRow:
    """Insert an empty session (no draft yet)."""
    rows = await SquareHoleAgentSession.insert(
        SquareHoleAgentSession(
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
    ).returning(*SquareHoleAgentSession.all_columns())
    return SquareHoleSessionRow.from_row(rows[0])


async def save_draft(
    *, session_id: str, draft_json: Any, config_json: Any, now: datetime
) -> list[Any]:
    """Store a session's draft (`draft_json`) and its config (`config_json`)."""
    rows: list[Any] = (
        await SquareHoleAgentSession.update(
            {
                SquareHoleAgentSession.draft_json: draft_json,
                SquareHoleAgentSession.config_json: config_json,
                SquareHoleAgentSession.updated_at: now,
            }
        )
        .where(SquareHoleAgentSession.session_id == session_id)
        .returning(*SquareHoleAgentSession.all_columns())
    )
    return rows


async def set_seed(*, session_id: str, seed_text: str) -> None:
    """Replace a session's seed."""
    await SquareHoleAgentSession.update({SquareHoleAgentSession.seed_text: seed_text}).where(
        SquareHoleAgentSession.session_id == session_id
    )


async def set_last_reply(*, session_id: str, reply: str, now: datetime) -> None:
    """Record the agent's last reply on a session whose draft stays as it is."""
    await SquareHoleAgentSession.update(
        {
            SquareHoleAgentSession.last_assistant_reply: reply,
            SquareHoleAgentSession.updated_at: now,
        }
    ).where(SquareHoleAgentSession.session_id == session_id)


async def set_reply_progress(*, session_id: str, stage: str, progress: int, reply: str) -> None:
    """Record a reply's stage, progress and text (`save_draft` sets `updated_at` next)."""
    await SquareHoleAgentSession.update(
        {
            SquareHoleAgentSession.stage: stage,
            SquareHoleAgentSession.progress_percent: progress,
            SquareHoleAgentSession.last_assistant_reply: reply,
        }
    ).where(SquareHoleAgentSession.session_id == session_id)


async def session_by_id(session_id: str) -> SquareHoleSessionRow | None:
    """A session by id, whoever owns it."""
    row = (
        await SquareHoleAgentSession.select()
        .where(SquareHoleAgentSession.session_id == session_id)
        .output(load_json=True)
        .first()
    )
    return SquareHoleSessionRow.from_row(row) if row is not None else None


async def owned_session(*, session_id: str, owner_user_id: str) -> SquareHoleSessionRow | None:
    """The owner's session; None for anyone else's or none."""
    found = await shared.owned_session(
        SquareHoleAgentSession, session_id=session_id, owner_user_id=owner_user_id
    )
    return SquareHoleSessionRow.from_row(found) if found is not None else None


async def sessions_page(
    *, owner_user_id: str, first: int | None, after: str | None
) -> Page[SquareHoleSessionRow]:
    """One keyset page of the owner's sessions, most recently changed first."""
    page = await keyset_page(
        SquareHoleAgentSession,
        SquareHoleAgentSession.updated_at,
        SquareHoleAgentSession.session_id,
        first=first,
        after=after,
        where=SquareHoleAgentSession.owner_user_id == owner_user_id,
        load_json=True,
    )
    return page.map(SquareHoleSessionRow.from_row)


async def sessions_by_ids(session_ids: Sequence[str]) -> dict[str, SquareHoleSessionRow]:
    """Sessions by id, one statement (none for no ids)."""
    rows = await shared.sessions_by_id(SquareHoleAgentSession, session_ids)
    return {row["session_id"]: SquareHoleSessionRow.from_row(row) for row in rows}
