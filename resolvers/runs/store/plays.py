"""The statement on `runs_play_record`: when a play of (user, work) last counted."""

from __future__ import annotations

from datetime import datetime

from db.tables.runs import RunsPlayRecord
from resolvers.gallery.play_types import PlayType


async def move_play_record(
    *, user_id: str, play_type: PlayType, work_id: str, now: datetime, window_start: datetime
) -> bool:
    """Record a play of (user, work) at `now` unless the last one counted after
    `window_start` (one conditional upsert); True when it moved."""
    moved = (
        await RunsPlayRecord.insert(
            RunsPlayRecord(
                record_id=f"{user_id}:{play_type.value}:{work_id}",
                user_id=user_id,
                play_type=play_type.value,
                work_id=work_id,
                counted_at=now,
            )
        )
        .on_conflict(
            target=RunsPlayRecord.record_id,
            action="DO UPDATE",
            values=[RunsPlayRecord.counted_at],
            where=RunsPlayRecord.counted_at < window_start,
        )
        .returning(RunsPlayRecord.record_id)
    )
    return bool(moved)
