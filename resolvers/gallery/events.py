"""Gallery change events: a row per change, numbered in the public `gallery` stream."""

from __future__ import annotations

from datetime import datetime

from resolvers.gallery.model import GALLERY_STREAM, GalleryChangeKind, entry_key
from resolvers.gallery.play_types import PlayType
from resolvers.gallery.rows import GalleryChangeEventRow
from resolvers.gallery.store import events as store
from resolvers.ids import new_id
from subscriptions import streams


async def record_change(
    *,
    kind: GalleryChangeKind,
    play_type: PlayType,
    work_id: str,
    like_count: int | None,
    now: datetime,
) -> list[streams.StreamEntry]:
    """Write the event and number it; call inside the writing transaction."""
    event_id = new_id()
    await store.insert_change(
        event_id=event_id,
        kind=kind,
        play_type=play_type,
        work_id=work_id,
        like_count=like_count,
        now=now,
    )
    return await streams.append(
        [GALLERY_STREAM],
        kind=kind.value,
        event_id=event_id,
        occurred_at=now,
        # The live message names the work: the public-response cache drops only the
        # results that hold it when its like count changes (schema/public_cache.py).
        subject=entry_key(play_type, work_id),
    )


async def events_by_ids(event_ids: list[str]) -> dict[str, GalleryChangeEventRow]:
    """Change events by id (one statement; subscribers load a batch at once)."""
    if not event_ids:
        return {}
    return await store.events_by_ids(event_ids)
