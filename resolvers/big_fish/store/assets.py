"""The work's asset slots (`big_fish_asset_slot`: one row per sprite the draft needs) and
the recorded gate (`big_fish_event`). Writes run inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from db.tables.big_fish import BigFishAssetSlot, BigFishEvent
from resolvers.big_fish.rows import BigFishAssetSlotRow, BigFishEventRow
from resolvers.big_fish.store.sessions import as_json
from resolvers.ids import new_id


@dataclass(frozen=True, slots=True)
class SlotWrite:
    """A slot row as the draft and the bindings make it."""

    slot_key: str
    asset_kind: str
    level: int | None
    motion_key: str | None
    status: str
    asset_url: str | None
    prompt_snapshot: str
    asset_object_id: str | None


async def slot_keys(session_id: str) -> set[str]:
    """The keys of the session's slot rows."""
    rows = await BigFishAssetSlot.select(BigFishAssetSlot.slot_key).where(
        BigFishAssetSlot.session_id == session_id
    )
    return {row["slot_key"] for row in rows}


async def upsert_slots(*, session_id: str, writes: Sequence[SlotWrite], now: datetime) -> None:
    """Create or rewrite the slot rows, one statement (the slot's id is kept)."""
    if not writes:
        return
    rows = [
        BigFishAssetSlot(
            slot_id=new_id(),
            session_id=session_id,
            asset_kind=write.asset_kind,
            level=write.level,
            motion_key=write.motion_key,
            status=write.status,
            asset_url=write.asset_url,
            prompt_snapshot=write.prompt_snapshot,
            updated_at=now,
            slot_key=write.slot_key,
            asset_object_id=write.asset_object_id,
        )
        for write in writes
    ]
    await BigFishAssetSlot.insert(*rows).on_conflict(
        target=(BigFishAssetSlot.session_id, BigFishAssetSlot.slot_key),
        action="DO UPDATE",
        values=[
            BigFishAssetSlot.asset_kind,
            BigFishAssetSlot.level,
            BigFishAssetSlot.motion_key,
            BigFishAssetSlot.status,
            BigFishAssetSlot.asset_url,
            BigFishAssetSlot.prompt_snapshot,
            BigFishAssetSlot.updated_at,
            BigFishAssetSlot.asset_object_id,
        ],
    )


async def delete_slots(*, session_id: str, slot_keys: Sequence[str]) -> None:
    await BigFishAssetSlot.delete().where(
        (BigFishAssetSlot.session_id == session_id)
        & BigFishAssetSlot.slot_key.is_in(list(slot_keys))
    )


async def slots_of(session_ids: Sequence[str]) -> dict[str, list[BigFishAssetSlotRow]]:
    """The slot rows of sessions, in slot-key order: one statement."""
    if not session_ids:
        return {}
    rows = (
        await BigFishAssetSlot.select()
        .where(BigFishAssetSlot.session_id.is_in(list(session_ids)))
        .order_by(BigFishAssetSlot.slot_key)
    )
    found: dict[str, list[BigFishAssetSlotRow]] = {session_id: [] for session_id in session_ids}
    for row in rows:
        found[row["session_id"]].append(BigFishAssetSlotRow.from_row(row))
    return found


async def insert_gate_event(
    *,
    event_id: str,
    session_id: str,
    owner_user_id: str,
    event_kind: str,
    publish_ready: bool,
    blockers: list[object],
    now: datetime,
) -> None:
    """Record one gate evaluation."""
    await BigFishEvent.insert(
        BigFishEvent(
            event_id=event_id,
            session_id=session_id,
            owner_user_id=owner_user_id,
            event_kind=event_kind,
            publish_ready=publish_ready,
            blockers_json=as_json(blockers),
            occurred_at=now,
        )
    )


async def events_by_ids(event_ids: list[str]) -> dict[str, BigFishEventRow]:
    if not event_ids:
        return {}
    rows = (
        await BigFishEvent.select()
        .where(BigFishEvent.event_id.is_in(event_ids))
        .output(load_json=True)
    )
    return {row["event_id"]: BigFishEventRow.from_row(row) for row in rows}
