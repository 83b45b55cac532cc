"""The statements on `gallery_change_event`: a row per change of the gallery."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from db.tables.gallery import GalleryChangeEvent
from resolvers.gallery.model import GalleryChangeKind
from resolvers.gallery.play_types import PlayType
from resolvers.gallery.rows import GalleryChangeEventRow


async def insert_change(
    *,
    event_id: str,
    kind: GalleryChangeKind,
    play_type: PlayType,
    work_id: str,
    like_count: int | None,
    now: datetime,
) -> None:
    """Write one change event."""
    await GalleryChangeEvent.insert(
        GalleryChangeEvent(
            event_id=event_id,
            event_kind=kind.value,
            play_type=play_type.value,
            work_id=work_id,
            like_count=like_count,
            occurred_at=now,
        )
    )


async def events_by_ids(event_ids: Sequence[str]) -> dict[str, GalleryChangeEventRow]:
    """Change events by id (one statement)."""
    rows = await GalleryChangeEvent.select().where(
        GalleryChangeEvent.event_id.is_in(list(event_ids))
    )
    return {row["event_id"]: GalleryChangeEventRow.from_row(row) for row in rows}
