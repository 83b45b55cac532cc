"""Statements on the older question-and-answer sessions (`custom_world_session`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from piccolo.columns import Column

from db.tables.worlds import CustomWorldSession
from resolvers.worlds.legacy_rows import LegacyQuestion, LegacySessionRow
from resolvers.worlds.model import GenerationMode, LegacySessionStatus
from resolvers.worlds.store.sessions import dumps

Session = CustomWorldSession


async def insert_legacy_session(
    *,
    session_id: str,
    owner_user_id: str,
    mode: GenerationMode,
    status: LegacySessionStatus,
    setting_text: str,
    questions: list[LegacyQuestion],
    now: datetime,
) -> LegacySessionRow:
    """Insert a Q&A session with its questions (no result yet)."""
    row = Session(
        session_id=session_id,
        owner_user_id=owner_user_id,
        generation_mode=mode.value,
        status=status.value,
        setting_text=setting_text,
        creator_intent_json=dumps({"settingText": setting_text, "generationMode": mode.value}),
        question_snapshot_json=dumps([question.as_json() for question in questions]),
        result_payload_json=None,
        last_error_message=None,
        created_at=now,
        updated_at=now,
    )
    rows = await Session.insert(row).returning(*Session.all_columns())
    return LegacySessionRow.from_row(rows[0])


async def legacy_session_of(*, session_id: str, owner_user_id: str) -> LegacySessionRow | None:
    """The owner's Q&A session (unlocked read)."""
    row = await (
        Session.select()
        .where((Session.session_id == session_id) & (Session.owner_user_id == owner_user_id))
        .output(load_json=True)
        .first()
    )
    return LegacySessionRow.from_row(row) if row is not None else None


async def lock_legacy_session(*, session_id: str, owner_user_id: str) -> LegacySessionRow | None:
    """Lock the owner's Q&A session with one conditional UPDATE."""
    rows = await (
        Session.update({Session.updated_at: Session.updated_at})
        .where((Session.session_id == session_id) & (Session.owner_user_id == owner_user_id))
        .returning(*Session.all_columns())
    )
    return LegacySessionRow.from_row(rows[0]) if rows else None


async def _write(session_id: str, values: dict[Column | str, Any]) -> LegacySessionRow:
    """Set `values` on the (locked) session; the row after."""
    rows = await (
        Session.update(values)
        .where(Session.session_id == session_id)
        .returning(*Session.all_columns())
    )
    return LegacySessionRow.from_row(rows[0])


async def set_answers(
    *,
    session_id: str,
    questions: list[dict[str, Any]],
    status: LegacySessionStatus,
    now: datetime,
) -> LegacySessionRow:
    """Store the questions with their answers and the session's status."""
    return await _write(
        session_id,
        {
            Session.question_snapshot_json: dumps(questions),
            Session.status: status.value,
            Session.updated_at: now,
        },
    )


async def set_result(
    *,
    session_id: str,
    status: LegacySessionStatus,
    result: dict[str, Any] | None,
    error: str | None,
    now: datetime,
) -> LegacySessionRow:
    """Store a generation's result (a draft's JSON) or its error, with the status."""
    return await _write(
        session_id,
        {
            Session.status: status.value,
            Session.result_payload_json: dumps(result),
            Session.last_error_message: error,
            Session.updated_at: now,
        },
    )


async def legacy_sessions_page(
    *, user_id: str, after: tuple[datetime, str] | None, limit: int
) -> list[LegacySessionRow]:
    """Up to `limit` of the user's Q&A sessions after the keyset position `after`, most
    recently changed first."""
    query = Session.select().where(Session.owner_user_id == user_id)
    if after is not None:
        at, session_id = after
        query = query.where(
            (Session.updated_at < at)
            | ((Session.updated_at == at) & (Session.session_id < session_id))
        )
    rows = await (
        query.order_by(Session.updated_at, Session.session_id, ascending=False)
        .limit(limit)
        .output(load_json=True)
    )
    return [LegacySessionRow.from_row(row) for row in rows]
