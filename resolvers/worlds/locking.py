"""Locking a custom world, the aggregate of its agent session, its work (profile) and its
cards, before a write (resolvers/worlds/saving.py).

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

from resolvers.worlds.drafts import CustomWorldDraft, stored_draft
from resolvers.worlds.rows import AgentSessionRow, WorldProfileRow
from resolvers.worlds.store.profiles import lock_profile
from resolvers.worlds.store.sessions import lock_session


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


async def lock_world(*, session_id: str, owner_user_id: str | None, now: datetime) -> World | None:
    """Lock the session, then the profile (always in this order); None if gone."""
    session = await lock_session(
        session_id=session_id, owner_user_id=owner_user_id, now=now, new_turn=False
    )
    if session is None:
        return None
    return await world_of_locked_session(session, now=now)


async def world_of_locked_session(session: Mapping[str, Any], *, now: datetime) -> World | None:
    """The world of a session row locked by `lock_session` (the creation framework
    keeps that row as a mapping in its `SessionState`); locks the profile."""
    row = AgentSessionRow.from_row(session)
    profile = await lock_profile(session_id=row.session_id, now=now)
    if profile is None:
        return None
    return World(
        session=replace(row, profile_id=profile.profile_id),
        profile=profile,
        draft=stored_draft(row.draft_profile_json),
    )
