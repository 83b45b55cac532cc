"""Gallery works for tests: published through the real resolvers, and a test-only Work type.

Until a play type registers its own work type, the gallery's tests show works of
`TEST_PLAY_TYPE` through `GalleryTestWork` (registered here, only in test processes).
"""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

import strawberry

from db.transactions import write_transaction
from resolvers import clock
from resolvers.gallery.play_types import PlayType
from resolvers.gallery.publishing import publish_work, unpublish_work
from resolvers.play_types.registry import plugin_for
from schema.gallery.work import Work, register_work_type, work_type_for
from subscriptions import streams
from subscriptions.streams import StreamEntry

# A play type nobody has built yet (the first without a plugin): its feed items use the
# test type below. Once every play type is built: big fish, whose work type renders any
# read-model row as it is (schema/big_fish/types.py, `gallery_cover`).
TEST_PLAY_TYPE = next((kind for kind in PlayType if plugin_for(kind) is None), PlayType.BIG_FISH)
_numbers = itertools.count(1)


@strawberry.type(description="A work of the gallery's tests (test processes only).")
class GalleryTestWork(Work):
    pass


if plugin_for(TEST_PLAY_TYPE) is None and work_type_for(TEST_PLAY_TYPE) is None:
    register_work_type(TEST_PLAY_TYPE, GalleryTestWork)


def gallery_work_type() -> type[Work]:
    """The type the gallery's tests see their works as: `GalleryTestWork`, or the built
    play type's own (schema/play_types.py) once every play type is built."""
    from schema.play_types import WORK_TYPES

    return GalleryTestWork if plugin_for(TEST_PLAY_TYPE) is None else WORK_TYPES[TEST_PLAY_TYPE]


def new_work_id() -> str:
    return f"w{next(_numbers):06d}"


async def publish(
    owner_user_id: str,
    *,
    work_id: str | None = None,
    play_type: PlayType = TEST_PLAY_TYPE,
    title: str = "A work",
    summary: str = "Summary",
    cover_image_src: str | None = None,
    theme: str | None = None,
    tags: list[str] | None = None,
    now: datetime | None = None,
    publish_entries: bool = True,
) -> tuple[str, list[StreamEntry]]:
    """Publish (or update) a work as a play type would: inside its own transaction."""
    work_id = work_id or new_work_id()
    async with write_transaction():
        entries = await publish_work(
            play_type=play_type,
            work_id=work_id,
            owner_user_id=owner_user_id,
            title=title,
            summary=summary,
            cover_image_src=cover_image_src,
            theme=theme,
            tags=tags or [],
            now=now or clock.now(),
        )
    if publish_entries:
        await streams.publish(entries)
    return work_id, entries


async def unpublish(
    work_id: str, *, play_type: PlayType = TEST_PLAY_TYPE, now: datetime | None = None
) -> list[StreamEntry]:
    async with write_transaction():
        entries = await unpublish_work(play_type=play_type, work_id=work_id, now=now or clock.now())
    await streams.publish(entries)
    return entries


async def read_model(work_id: str, play_type: PlayType = TEST_PLAY_TYPE) -> dict[str, Any] | None:
    from db.tables.gallery import GalleryPublicWork

    return await (
        GalleryPublicWork.select()
        .where(GalleryPublicWork.entry_id == f"{play_type.value}:{work_id}")
        .first()
    )
