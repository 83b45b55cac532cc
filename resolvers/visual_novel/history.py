"""A run's turns on record: history entries, runtime events, kept before-snapshots.

Every applied turn, in the run's transaction: the state row moves to the state after it;
the state before it is kept (the last 20, by turn index, for `visualNovelRunRegenerate`);
one `visual_novel_runtime_history_entry` (turn index, source, action text, steps, SHA-256
of the sorted-key JSON state before and after) and one `visual_novel_runtime_event`,
numbered in the run's event stream and delivered to its owner (`visualNovelRunEvents`).
Neither table is a replay source: nothing replays, shares or clips a run from them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from db.tables.visual_novel import VisualNovelRuntimeHistoryEntry, VisualNovelRuntimeRun
from resolvers.ids import new_id
from resolvers.runs.model import Run
from resolvers.visual_novel.adapter import as_json
from resolvers.visual_novel.model import (
    KEPT_SNAPSHOTS,
    RuntimeEventKind,
    TurnSource,
    run_event_stream,
)
from resolvers.visual_novel.rows import VisualNovelHistoryEntryRow, VisualNovelRuntimeEventRow
from resolvers.visual_novel.run_state import VisualNovelRunStateRow
from resolvers.visual_novel.story import snapshot_hash
from subscriptions import streams
from subscriptions.streams import StreamEntry


async def state_rows(run_ids: Sequence[str]) -> dict[str, VisualNovelRunStateRow]:
    """The runs' state rows (one statement)."""
    if not run_ids:
        return {}
    marks = ", ".join("{}" for _ in run_ids)
    rows = await VisualNovelRuntimeRun.raw(
        f"SELECT * FROM visual_novel_runtime_run WHERE run_id IN ({marks})", *run_ids
    )
    return {row["run_id"]: VisualNovelRunStateRow.from_row(row) for row in rows}


def _choices(story: Mapping[str, Any], state: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The offered choices with their labels (`available_choices_json`)."""
    scene = next((s for s in story["scenes"] if s["sceneId"] == state.get("sceneId")), None)
    labels = {c["choiceId"]: c.get("label", "") for c in (scene or {}).get("choices", [])}
    return [{"choiceId": c, "label": labels.get(c, "")} for c in state["availableChoiceIds"]]


def state_columns(story: Mapping[str, Any], state: Mapping[str, Any]) -> dict[str, Any]:
    """The catalog columns a state determines."""
    return {
        "current_scene_id": state.get("sceneId") or "",
        "current_phase_id": state.get("phaseId") or "",
        "visible_character_ids_json": as_json(state.get("visibleCharacterIds", [])),
        "flags_json": as_json(state.get("flags", {})),
        "metrics_json": as_json(state.get("metrics", {})),
        "available_choices_json": as_json(_choices(story, state)),
        "snapshot_json": as_json({"story": story, "state": state}),
    }


async def write_state(run_id: str, now: datetime, **columns: Any) -> None:
    assignments = ", ".join(f"{column} = {{}}" for column in columns)
    await VisualNovelRuntimeRun.raw(
        f"UPDATE visual_novel_runtime_run SET {assignments}, updated_at = {{}} WHERE run_id = {{}}",
        *columns.values(),
        now,
        run_id,
    )


async def record_turn(
    *,
    run: Run,
    row: VisualNovelRunStateRow,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    steps: list[dict[str, Any]],
    source: TurnSource,
    action_text: str,
    regenerated: bool,
    client_event_id: str,
    now: datetime,
) -> list[StreamEntry]:
    """Write one applied turn (see the module docstring); returns the event's entries."""
    story = row.story
    turn_index = int(before["turn"]) + 1
    kept = [each for each in row.recent_snapshots_json if each["turnIndex"] < turn_index]
    kept = [*kept, {"turnIndex": turn_index, "snapshot": dict(before)}][-KEPT_SNAPSHOTS:]
    await write_state(
        run.run_id,
        now,
        **state_columns(story, after),
        recent_snapshots_json=as_json(kept),
        pending_turn_json=None,
    )
    entry_id, event_id = new_id(), new_id()
    await VisualNovelRuntimeHistoryEntry.raw(
        "INSERT INTO visual_novel_runtime_history_entry (entry_id, run_id, owner_user_id, "
        "profile_id, turn_index, source, action_text, steps_json, snapshot_before_hash, "
        "snapshot_after_hash, created_at) VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {})",
        entry_id,
        run.run_id,
        run.owner_user_id,
        run.work_id,
        turn_index,
        source.value,
        action_text,
        as_json(steps),
        snapshot_hash(before),
        snapshot_hash(after),
        now,
    )
    kind = RuntimeEventKind.TURN_REGENERATED if regenerated else RuntimeEventKind.TURN_APPLIED
    payload = {
        "turnIndex": turn_index,
        "source": source.value,
        "sceneId": after.get("sceneId"),
        "endingId": after.get("endingId"),
        "narrative": after.get("narrative"),
        "snapshotVersion": run.snapshot_version,
    }
    await VisualNovelRuntimeHistoryEntry.raw(
        "INSERT INTO visual_novel_runtime_event (event_id, run_id, owner_user_id, profile_id, "
        "event_kind, client_event_id, history_entry_id, payload_json, occurred_at) "
        "VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {})",
        event_id,
        run.run_id,
        run.owner_user_id,
        run.work_id,
        kind.value,
        client_event_id,
        entry_id,
        as_json(payload),
        now,
    )
    return await streams.append(
        [run_event_stream(run.run_id)], kind=kind.value, event_id=event_id, occurred_at=now
    )


async def latest_entry(run_id: str, turn_index: int) -> VisualNovelHistoryEntryRow | None:
    """The newest history entry of a turn (a regenerated turn has several)."""
    rows = await VisualNovelRuntimeHistoryEntry.raw(
        "SELECT * FROM visual_novel_runtime_history_entry WHERE run_id = {} AND turn_index = {} "
        "ORDER BY entry_id DESC LIMIT 1",
        run_id,
        turn_index,
    )
    return VisualNovelHistoryEntryRow.from_row(rows[0]) if rows else None


async def entries_of(run_ids: Sequence[str]) -> dict[str, list[VisualNovelHistoryEntryRow]]:
    """Runs' history entries, each run's by turn then age (ids are time-sorted); one
    statement for any number of runs."""
    found: dict[str, list[VisualNovelHistoryEntryRow]] = {run_id: [] for run_id in run_ids}
    if not run_ids:
        return found
    marks = ", ".join("{}" for _ in run_ids)
    rows = await VisualNovelRuntimeHistoryEntry.raw(
        f"SELECT * FROM visual_novel_runtime_history_entry WHERE run_id IN ({marks}) "
        "ORDER BY run_id, turn_index, entry_id",
        *run_ids,
    )
    for row in rows:
        found[row["run_id"]].append(VisualNovelHistoryEntryRow.from_row(row))
    return found


async def events_by_ids(event_ids: Sequence[str]) -> dict[str, VisualNovelRuntimeEventRow]:
    """Runtime events by id (one statement), for the event stream."""
    if not event_ids:
        return {}
    marks = ", ".join("{}" for _ in event_ids)
    rows = await VisualNovelRuntimeHistoryEntry.raw(
        f"SELECT * FROM visual_novel_runtime_event WHERE event_id IN ({marks})", *event_ids
    )
    return {row["event_id"]: VisualNovelRuntimeEventRow.from_row(row) for row in rows}
