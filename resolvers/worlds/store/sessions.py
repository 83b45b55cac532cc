"""Statements on agent sessions (`custom_world_agent_session`), and where the play-type
contract finds a session's draft (`DRAFT`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import orjson
from piccolo.columns import Column

from db.sql import marks
from db.tables.worlds import CustomWorldAgentSession, CustomWorldProfile
from resolvers.play_types.rows import decoded
from resolvers.play_types.tables import DraftColumn
from resolvers.worlds.model import AgentStage
from resolvers.worlds.rows import AgentSessionRow

# Where the contract finds a creation session's draft.
DRAFT = DraftColumn(CustomWorldAgentSession, "draft_profile_json")

SESSION_JSON = (
    "anchor_content_json",
    "creator_intent_json",
    "creator_intent_readiness_json",
    "anchor_pack_json",
    "lock_state_json",
    "draft_profile_json",
    "publish_gate_json",
    "result_preview_json",
    "pending_clarifications_json",
    "quality_findings_json",
    "suggested_actions_json",
    "recommended_replies_json",
    "asset_coverage_json",
    "checkpoints_json",
)

_SESSION_SELECT = (
    "SELECT s.*, p.profile_id FROM custom_world_agent_session s "
    "JOIN custom_world_profile p ON p.source_agent_session_id = s.session_id "
    "WHERE p.deleted_at IS NULL"
)


def dumps(value: Any) -> str | None:
    """A JSON column's stored text (None stays SQL NULL)."""
    return None if value is None else orjson.dumps(value).decode()


async def insert_session(
    *,
    session_id: str,
    owner_user_id: str,
    seed_text: str,
    stage: AgentStage,
    creator_intent: dict[str, Any],
    now: datetime,
) -> None:
    """Insert a new agent session (turn 0, progress 0)."""
    await CustomWorldAgentSession(
        session_id=session_id,
        owner_user_id=owner_user_id,
        seed_text=seed_text,
        current_turn=0,
        progress_percent=0,
        stage=stage.value,
        creator_intent_json=creator_intent,
        created_at=now,
        updated_at=now,
    ).save()


async def lock_session(
    *, session_id: str, owner_user_id: str | None, now: datetime, new_turn: bool
) -> dict[str, Any] | None:
    """Lock a live agent session (the owner's, when given) with one conditional UPDATE;
    the row with its JSON decoded (the creation framework keeps it as a mapping)."""
    session, profile = CustomWorldAgentSession, CustomWorldProfile
    values: dict[Column | str, Any] = {session.updated_at: now}
    if new_turn:
        values[session.current_turn] = session.current_turn + 1
    # A session whose world was soft-deleted is gone for every reader and writer (the
    # subquery reads at most the one profile of this session, by its unique index).
    deleted = profile.select(profile.source_agent_session_id).where(
        (profile.source_agent_session_id == session_id) & profile.deleted_at.is_not_null()
    )
    where = (session.session_id == session_id) & session.session_id.not_in(deleted)
    if owner_user_id is not None:
        where &= session.owner_user_id == owner_user_id
    rows = await session.update(values).where(where).returning(*session.all_columns())
    return decoded(rows[0], SESSION_JSON) if rows else None


async def update_session(*, session: AgentSessionRow, now: datetime) -> None:
    """Write a session's seed, stage, progress, focus, reply and every JSON field."""
    table = CustomWorldAgentSession
    values: dict[Column | str, Any] = {
        table.seed_text: session.seed_text,
        table.stage: session.stage.value,
        table.progress_percent: session.progress_percent,
        table.focus_card_id: session.focus_card_id,
        table.last_assistant_reply: session.last_assistant_reply,
        table.updated_at: now,
    }
    for column in SESSION_JSON:
        values[column] = dumps(getattr(session, column))
    await table.update(values).where(table.session_id == session.session_id)


async def sessions_with_ids(session_ids: Sequence[str]) -> list[AgentSessionRow]:
    """Live agent sessions (with their `profile_id`) among `session_ids` (not empty)."""
    # Raw: the profile's `profile_id` beside the session's columns, a join on a column no
    # foreign key declares.
    rows = await CustomWorldProfile.raw(
        f"{_SESSION_SELECT} AND s.session_id IN ({marks(session_ids)})", *session_ids
    )
    return [AgentSessionRow.from_row(row) for row in rows]


async def sessions_page(
    *, user_id: str, after: tuple[datetime, str] | None, limit: int
) -> list[AgentSessionRow]:
    """Up to `limit` of the user's live agent sessions after the keyset position `after`,
    most recently changed first."""
    condition = ""
    arguments: list[Any] = [user_id]
    if after is not None:
        moment, session_id = after
        condition = " AND (s.updated_at < {} OR (s.updated_at = {} AND s.session_id < {}))"
        arguments += [moment, moment, session_id]
    # Raw: the profile's `profile_id` beside the session's columns, a join on a column no
    # foreign key declares.
    rows = await CustomWorldProfile.raw(
        f"{_SESSION_SELECT} AND s.owner_user_id = {{}}{condition} "
        f"ORDER BY s.updated_at DESC, s.session_id DESC LIMIT {limit}",
        *arguments,
    )
    return [AgentSessionRow.from_row(row) for row in rows]
