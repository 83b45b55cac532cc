"""A visual-novel run's turns on record: history entries and runtime events."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from db.tables.visual_novel import VisualNovelRuntimeEvent, VisualNovelRuntimeHistoryEntry
from resolvers.play_types.rows import as_json
from resolvers.visual_novel.rows import VisualNovelHistoryEntryRow, VisualNovelRuntimeEventRow


async def insert_entry(
    *,
    entry_id: str,
    run_id: str,
    owner_user_id: str,
    profile_id: str,
    turn_index: int,
    source: str,
    action_text: str,
    steps: Sequence[Mapping[str, Any]],
    snapshot_before_hash: str,
    snapshot_after_hash: str,
    now: datetime,
) -> None:
    """Insert one applied turn's history entry."""
    entry = VisualNovelRuntimeHistoryEntry(
        entry_id=entry_id,
        run_id=run_id,
        owner_user_id=owner_user_id,
        profile_id=profile_id,
        turn_index=turn_index,
        source=source,
        action_text=action_text,
        steps_json=as_json(steps),
        snapshot_before_hash=snapshot_before_hash,
        snapshot_after_hash=snapshot_after_hash,
        created_at=now,
    )
    await VisualNovelRuntimeHistoryEntry.insert(entry)


async def insert_event(
    *,
    event_id: str,
    run_id: str,
    owner_user_id: str,
    profile_id: str,
    event_kind: str,
    client_event_id: str,
    history_entry_id: str,
    payload: Mapping[str, Any],
    now: datetime,
) -> None:
    """Insert one runtime event of a run."""
    event = VisualNovelRuntimeEvent(
        event_id=event_id,
        run_id=run_id,
        owner_user_id=owner_user_id,
        profile_id=profile_id,
        event_kind=event_kind,
        client_event_id=client_event_id,
        history_entry_id=history_entry_id,
        payload_json=as_json(payload),
        occurred_at=now,
    )
    await VisualNovelRuntimeEvent.insert(event)


async def latest_entry(*, run_id: str, turn_index: int) -> VisualNovelHistoryEntryRow | None:
    """The newest history entry of a turn (a regenerated turn has several)."""
    entries = VisualNovelRuntimeHistoryEntry
    row = await (
        entries.select()
        .where((entries.run_id == run_id) & (entries.turn_index == turn_index))
        .order_by(entries.entry_id, ascending=False)
        .first()
    )
    return VisualNovelHistoryEntryRow.from_row(row) if row is not None else None


async def entries_of(run_ids: Sequence[str]) -> dict[str, list[VisualNovelHistoryEntryRow]]:
    """Runs' history entries, each run's by turn then age (ids are time-sorted); one
    statement for any number of runs."""
    found: dict[str, list[VisualNovelHistoryEntryRow]] = {run_id: [] for run_id in run_ids}
    if not run_ids:
        return found
    entries = VisualNovelRuntimeHistoryEntry
    rows = await (
        entries.select()
        .where(entries.run_id.is_in(list(run_ids)))
        .order_by(entries.run_id, entries.turn_index, entries.entry_id)
    )
    for row in rows:
        found[row["run_id"]].append(VisualNovelHistoryEntryRow.from_row(row))
    return found


async def events_by_ids(event_ids: Sequence[str]) -> dict[str, VisualNovelRuntimeEventRow]:
    """Runtime events by id (one statement), for the event stream."""
    if not event_ids:
        return {}
    rows = await VisualNovelRuntimeEvent.select().where(
        VisualNovelRuntimeEvent.event_id.is_in(list(event_ids))
    )
    return {row["event_id"]: VisualNovelRuntimeEventRow.from_row(row) for row in rows}
