"""A run's turns on record: history entries, runtime events, kept before-snapshots.

Every applied turn, in the run's transaction: the state row moves to the state after it;
the state before it is kept (the last 20, by turn index, for `visualNovelRunRegenerate`);
one `visual_novel_runtime_history_entry` (turn index, source, action text, steps, SHA-256
of the sorted-key JSON state before and after) and one `visual_novel_runtime_event`,
numbered in the run's event stream and delivered to its owner (`visualNovelRunEvents`).
Neither table is a replay source: nothing replays, shares or clips a run from them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from resolvers.ids import new_id
from resolvers.play_types.rows import as_json
from resolvers.runs.model import Run
from resolvers.visual_novel.model import (
    KEPT_SNAPSHOTS,
    RuntimeEventKind,
    TurnSource,
    run_event_stream,
)
from resolvers.visual_novel.run_state import VisualNovelRunStateRow
from resolvers.visual_novel.store import history as history_store
from resolvers.visual_novel.store import runs as run_store
from resolvers.visual_novel.story import snapshot_hash
from subscriptions import streams
from subscriptions.streams import StreamEntry


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
    await run_store.write_state(
        run_id=run.run_id,
        now=now,
        **state_columns(story, after),
        recent_snapshots_json=as_json(kept),
        pending_turn_json=None,
    )
    entry_id, event_id = new_id(), new_id()
    await history_store.insert_entry(
        entry_id=entry_id,
        run_id=run.run_id,
        owner_user_id=run.owner_user_id,
        profile_id=run.work_id,
        turn_index=turn_index,
        source=source.value,
        action_text=action_text,
        steps=steps,
        snapshot_before_hash=snapshot_hash(before),
        snapshot_after_hash=snapshot_hash(after),
        now=now,
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
    await history_store.insert_event(
        event_id=event_id,
        run_id=run.run_id,
        owner_user_id=run.owner_user_id,
        profile_id=run.work_id,
        event_kind=kind.value,
        client_event_id=client_event_id,
        history_entry_id=entry_id,
        payload=payload,
        now=now,
    )
    return await streams.append(
        [run_event_stream(run.run_id)], kind=kind.value, event_id=event_id, occurred_at=now
    )
