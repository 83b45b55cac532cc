"""Locking a custom world, the aggregate of its agent session, its work (profile) and its
cards, before a write (resolvers/worlds/store.py).

Every write of a world runs in one `write_transaction()` and first locks the agent session
row, then the profile row, each with one conditional `UPDATE … RETURNING` (`lock_world`).
On PostgreSQL these row locks order every writer of the world (agent turns, autosave, card
updates, publish, unpublish, delete), always in that order, so they never wait on each
other in a cycle; SQLite's immediate transactions order all writers anyway. A soft-deleted
world locks as nothing (NOT_FOUND).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from piccolo.columns import Column

from db.tables.worlds import CustomWorldAgentSession, CustomWorldDraftCard, CustomWorldProfile
from resolvers.play_types.rows import decoded
from resolvers.worlds.drafts import CustomWorldDraft, stored_draft
from resolvers.worlds.rows import AgentSessionRow, WorldProfileRow

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


@dataclass(frozen=True, slots=True)
class World:
    """A locked world: its session row (with the world's `profile_id`), its profile row and
    the session's typed draft."""

    session: AgentSessionRow
    profile: WorldProfileRow
    draft: CustomWorldDraft

    @property
    def published(self) -> bool:
        return self.profile.published


async def lock_session_row(
    *, session_id: str, owner_user_id: str | None, now: datetime, new_turn: bool = False
) -> dict[str, Any] | None:
    """Lock a live agent session (the owner's, when given): one conditional UPDATE."""
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


async def lock_profile_row(*, session_id: str, now: datetime) -> WorldProfileRow | None:
    rows = await (
        CustomWorldProfile.update({CustomWorldProfile.updated_at: now})
        .where(
            (CustomWorldProfile.source_agent_session_id == session_id)
            & CustomWorldProfile.deleted_at.is_null()
        )
        .returning(*CustomWorldProfile.all_columns())
    )
    return WorldProfileRow.from_row(rows[0]) if rows else None


async def lock_world(*, session_id: str, owner_user_id: str | None, now: datetime) -> World | None:
    """Lock the session, then the profile (always in this order); None if gone."""
    session = await lock_session_row(session_id=session_id, owner_user_id=owner_user_id, now=now)
    if session is None:
        return None
    return await world_of_locked_session(session, now=now)


async def world_of_locked_session(session: Mapping[str, Any], *, now: datetime) -> World | None:
    """The world of a session row locked by `lock_session_row` (the creation framework
    keeps that row as a mapping in its `SessionState`); locks the profile."""
    row = AgentSessionRow.from_row(session)
    profile = await lock_profile_row(session_id=row.session_id, now=now)
    if profile is None:
        return None
    return World(
        session=replace(row, profile_id=profile.profile_id),
        profile=profile,
        draft=stored_draft(row.draft_profile_json),
    )


async def session_of_profile(*, profile_id: str, owner_user_id: str) -> str | None:
    """The agent session behind the owner's live world (unlocked read)."""
    row = await (
        CustomWorldProfile.select(CustomWorldProfile.source_agent_session_id)
        .where(
            (CustomWorldProfile.profile_id == profile_id)
            & (CustomWorldProfile.owner_user_id == owner_user_id)
            & CustomWorldProfile.deleted_at.is_null()
        )
        .first()
    )
    return row["source_agent_session_id"] if row else None


async def session_of_card(card_id: str) -> str | None:
    row = await (
        CustomWorldDraftCard.select(CustomWorldDraftCard.session_id)
        .where(CustomWorldDraftCard.card_id == card_id)
        .first()
    )
    return row["session_id"] if row else None
