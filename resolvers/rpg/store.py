"""Reading and writing the RPG runtime's rows (raw SQL returns JSON as text on both engines).

Every write here runs inside the run framework's transaction, after the version guard took
the run's row lock (resolvers/runs/lifecycle.py), so a session's writers never race each
other; the conditional statements (a decrement only while quantity >= 1) hold anyway.
A change is reported as `{"table", "op", "row"}` for `storySessionEvents`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import orjson
from pydantic import TypeAdapter

from db.tables.rpg import InventorySlot, NpcState, StoryEvent, StorySession
from resolvers.errors import NotFound
from resolvers.principal import Principal
from resolvers.rpg.records import StanceProfile

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
SLOT_JSON = ("tags",)
HIDDEN = frozenset({"content_json", "initial_prompt"})  # too big for an event
_STRINGS = TypeAdapter(list[str])


def npc_json(key: str, value: Any) -> str | None:
    """An npc_state JSON column, validated (`Vec<String>` or the stance profile)."""
    if key == "stance_profile":
        return dumps(StanceProfile.model_validate(value).as_json())
    return dumps(_STRINGS.validate_python(value))


def dumps(value: Any) -> str | None:
    return None if value is None else orjson.dumps(value).decode()


def _time(value: Any) -> Any:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def loaded(row: Mapping[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    found = dict(row)
    for key in keys:
        value = found.get(key)
        if isinstance(value, str | bytes):
            found[key] = orjson.loads(value)
    for key in ("created_at", "updated_at"):
        if key in found:
            found[key] = _time(found[key])
    for key in ("help_used", "recruited", "first_meaningful_contact_resolved", "stackable"):
        if key in found:
            found[key] = bool(found[key])
    return found


def change(table: str, op: str, row: Mapping[str, Any]) -> dict[str, Any]:
    """One change for the session's event (times as ISO text, big columns left out)."""
    shown = {
        key: (value.isoformat() if isinstance(value, datetime) else value)
        for key, value in row.items()
        if key not in HIDDEN
    }
    return {"table": table, "op": op, "row": shown}


# --- story sessions --------------------------------------------------------------------------


async def sessions_by_runs(run_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    if not run_ids:
        return {}
    rows = await StorySession.select().where(StorySession.runtime_session_id.is_in(list(run_ids)))
    return {row["runtime_session_id"]: loaded(row, SESSION_JSON) for row in rows}


async def session_of_run(run_id: str) -> dict[str, Any]:
    return (await sessions_by_runs([run_id]))[run_id]


async def owned_session(*, viewer: Principal, story_session_id: str) -> dict[str, Any]:
    """The viewer's story session; NOT_FOUND for a missing one or another user's."""
    user_id = viewer.require_user()
    row = (
        await StorySession.select()
        .where(StorySession.story_session_id == story_session_id[:64])
        .first()
    )
    if row is None or row["actor_user_id"] != user_id:
        raise NotFound(NOT_FOUND)
    return loaded(row, SESSION_JSON)


async def write_session(story_session_id: str, **columns: Any) -> dict[str, Any]:
    """Update columns of a session (JSON ones given as Python values); the row after."""
    names = list(columns)
    values = [dumps(v) if k in SESSION_JSON else v for k, v in columns.items()]
    rows = await StorySession.raw(
        "UPDATE story_session SET "
        + ", ".join(f"{name} = {{}}" for name in names)
        + " WHERE story_session_id = {} RETURNING *",
        *values,
        story_session_id,
    )
    return loaded(rows[0], SESSION_JSON)


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
) -> dict[str, Any]:
    rows = await StoryEvent.raw(
        "INSERT INTO story_event (event_id, story_session_id, event_kind, narrative_text, "
        "choice_function_id, created_at, turn_index, action_text) "
        "VALUES ({}, {}, {}, {}, {}, {}, {}, {}) RETURNING *",
        event_id,
        story_session_id,
        kind,
        narrative,
        choice_function_id,
        now,
        turn_index,
        action_text,
    )
    return loaded(rows[0], ())


async def events_of(story_session_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {sid: [] for sid in story_session_ids}
    if not story_session_ids:
        return found
    rows = await (
        StoryEvent.select()
        .where(StoryEvent.story_session_id.is_in(list(story_session_ids)))
        .order_by(StoryEvent.turn_index)
    )
    for row in rows:
        found[row["story_session_id"]].append(loaded(row, ()))
    return found


# --- NPCs ------------------------------------------------------------------------------------


async def npcs_of(runtime_session_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {rid: [] for rid in runtime_session_ids}
    if not runtime_session_ids:
        return found
    rows = await (
        NpcState.select()
        .where(NpcState.runtime_session_id.is_in(list(runtime_session_ids)))
        .order_by(NpcState.created_at)
        .order_by(NpcState.npc_state_id)
    )
    for row in rows:
        found[row["runtime_session_id"]].append(loaded(row, NPC_JSON))
    return found


async def npc_row(runtime_session_id: str, npc_id: str) -> dict[str, Any] | None:
    row = (
        await NpcState.select()
        .where((NpcState.runtime_session_id == runtime_session_id) & (NpcState.npc_id == npc_id))
        .first()
    )
    return loaded(row, NPC_JSON) if row else None


async def write_npc(npc_state_id: str, **columns: Any) -> dict[str, Any]:
    names = list(columns)
    values = [npc_json(k, v) if k in NPC_JSON else v for k, v in columns.items()]
    rows = await NpcState.raw(
        "UPDATE npc_state SET "
        + ", ".join(f"{name} = {{}}" for name in names)
        + " WHERE npc_state_id = {} RETURNING *",
        *values,
        npc_state_id,
    )
    return loaded(rows[0], NPC_JSON)


# --- inventory -------------------------------------------------------------------------------


async def slots_of(runtime_session_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {rid: [] for rid in runtime_session_ids}
    if not runtime_session_ids:
        return found
    rows = await (
        InventorySlot.select()
        .where(InventorySlot.runtime_session_id.is_in(list(runtime_session_ids)))
        .order_by(InventorySlot.container_kind)
        .order_by(InventorySlot.slot_key)
    )
    for row in rows:
        found[row["runtime_session_id"]].append(loaded(row, SLOT_JSON))
    return found


async def slot_row(runtime_session_id: str, slot_id: str) -> dict[str, Any] | None:
    row = (
        await InventorySlot.select()
        .where(
            (InventorySlot.runtime_session_id == runtime_session_id)
            & (InventorySlot.slot_id == slot_id[:64])
        )
        .first()
    )
    return loaded(row, SLOT_JSON) if row else None
