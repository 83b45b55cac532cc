"""The story session's statements (story_session, story_event, npc_state) with typed rows
(resolvers/rpg/rows.py).

Every write here runs inside the run framework's transaction, after the version guard took
the run's row lock (resolvers/runs/lifecycle.py), so a session's writers never race each
other; the conditional statements (a decrement only while quantity >= 1) hold anyway.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from piccolo.columns import Column

from db.tables.rpg import NpcState, StoryEvent, StorySession
from resolvers.errors import NotFound
from resolvers.principal import Principal
from resolvers.rpg.changes import dumps, npc_json
from resolvers.rpg.rows import NpcStateRow, StoryEventRow, StorySessionRow

NOT_FOUND = "No such story session."
SESSION_JSON = (
    "content_json",
    "offered_choices_json",
    "pending_action_json",
    "progress_json",
    "vitals_json",
)
NPC_JSON = (
    "revealed_facts",
    "known_attribute_rumors",
    "seen_backstory_chapter_ids",
    "stance_profile",
)
# --- story sessions --------------------------------------------------------------------------


async def sessions_by_runs(run_ids: Sequence[str]) -> dict[str, StorySessionRow]:
    if not run_ids:
        return {}
    rows = await StorySession.select().where(StorySession.runtime_session_id.is_in(list(run_ids)))
    return {row["runtime_session_id"]: StorySessionRow.from_row(row) for row in rows}


async def session_of_run(run_id: str) -> StorySessionRow:
    return (await sessions_by_runs([run_id]))[run_id]


async def owned_session(*, viewer: Principal, story_session_id: str) -> StorySessionRow:
    """The viewer's story session; NOT_FOUND for a missing one or another user's."""
    user_id = viewer.require_user()
    row = (
        await StorySession.select()
        .where(StorySession.story_session_id == story_session_id[:64])
        .first()
    )
    if row is None or row["actor_user_id"] != user_id:
        raise NotFound(NOT_FOUND)
    return StorySessionRow.from_row(row)


async def write_session(story_session_id: str, **columns: Any) -> StorySessionRow:
    """Update columns of a session (JSON ones given as Python values); the row after."""
    values: dict[Column | str, Any] = {
        k: dumps(v) if k in SESSION_JSON else v for k, v in columns.items()
    }
    rows = await (
        StorySession.update(values)
        .where(StorySession.story_session_id == story_session_id)
        .returning(*StorySession.all_columns())
    )
    return StorySessionRow.from_row(rows[0])


async def insert_session(**columns: Any) -> StorySessionRow:
    """A new story session (JSON columns given as Python values); the row as stored."""
    values: dict[str, Any] = {k: dumps(v) if k in SESSION_JSON else v for k, v in columns.items()}
    rows = await StorySession.insert(StorySession(**values)).returning(*StorySession.all_columns())
    return StorySessionRow.from_row(rows[0])


async def insert_event(
    *,
    event_id: str,
    story_session_id: str,
    kind: str,
    narrative: str,
    choice_function_id: str | None,
    turn_index: int,
    action_text: str | None,
    now: datetime,
) -> StoryEventRow:
    event = StoryEvent(
        event_id=event_id,
        story_session_id=story_session_id,
        event_kind=kind,
        narrative_text=narrative,
        choice_function_id=choice_function_id,
        created_at=now,
        turn_index=turn_index,
        action_text=action_text,
    )
    rows = await StoryEvent.insert(event).returning(*StoryEvent.all_columns())
    return StoryEventRow.from_row(rows[0])


async def events_of(story_session_ids: Sequence[str]) -> dict[str, list[StoryEventRow]]:
    found: dict[str, list[StoryEventRow]] = {sid: [] for sid in story_session_ids}
    if not story_session_ids:
        return found
    rows = await (
        StoryEvent.select()
        .where(StoryEvent.story_session_id.is_in(list(story_session_ids)))
        .order_by(StoryEvent.turn_index)
    )
    for row in rows:
        found[row["story_session_id"]].append(StoryEventRow.from_row(row))
    return found


# --- NPCs ------------------------------------------------------------------------------------


async def npcs_of(runtime_session_ids: Sequence[str]) -> dict[str, list[NpcStateRow]]:
    found: dict[str, list[NpcStateRow]] = {rid: [] for rid in runtime_session_ids}
    if not runtime_session_ids:
        return found
    rows = await (
        NpcState.select()
        .where(NpcState.runtime_session_id.is_in(list(runtime_session_ids)))
        .order_by(NpcState.created_at)
        .order_by(NpcState.npc_state_id)
    )
    for row in rows:
        found[row["runtime_session_id"]].append(NpcStateRow.from_row(row))
    return found


async def insert_npc(**columns: Any) -> NpcStateRow:
    """A new NPC state (JSON columns given as Python values); the row as stored."""
    values: dict[str, Any] = {k: npc_json(k, v) if k in NPC_JSON else v for k, v in columns.items()}
    rows = await NpcState.insert(NpcState(**values)).returning(*NpcState.all_columns())
    return NpcStateRow.from_row(rows[0])


async def npc_row(runtime_session_id: str, npc_id: str) -> NpcStateRow | None:
    row = (
        await NpcState.select()
        .where((NpcState.runtime_session_id == runtime_session_id) & (NpcState.npc_id == npc_id))
        .first()
    )
    return NpcStateRow.from_row(row) if row else None


async def write_npc(npc_state_id: str, **columns: Any) -> NpcStateRow:
    values: dict[Column | str, Any] = {
        k: npc_json(k, v) if k in NPC_JSON else v for k, v in columns.items()
    }
    rows = await (
        NpcState.update(values)
        .where(NpcState.npc_state_id == npc_state_id)
        .returning(*NpcState.all_columns())
    )
    return NpcStateRow.from_row(rows[0])
