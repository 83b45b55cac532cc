"""`galleryChanges`: the public stream of gallery changes.

Same guarantees as every stream subscription (schema/streaming.py): replay after `after`,
then live, each sequence once and in order; 4008 when falling behind. Public: anonymous
sockets may subscribe; a signed-in socket is still closed with 4401 once its token is
revoked or expires. Each delivered batch loads its events and the works they name with one
statement each.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

import strawberry

from resolvers.gallery.events import events_by_ids
from resolvers.gallery.model import GALLERY_STREAM, entry_key
from resolvers.gallery.reading import works_by_keys
from resolvers.gallery.rows import GalleryChangeEventRow, GalleryWorkRow
from schema.context import Info
from schema.gallery.loaders import GalleryLoaders
from schema.gallery.types import GalleryChange
from schema.gallery.work import work_from_row
from schema.streaming import check_cursor, deliver

AFTER = (
    "Deliver changes with a sequence above this one (0: the whole history); null "
    "(default): only new changes."
)


@dataclass(frozen=True, slots=True)
class _Delivery:
    """An event with the work it names as of delivery (None once unpublished) and its
    batch's loaders."""

    event: GalleryChangeEventRow
    work: GalleryWorkRow | None
    loaders: GalleryLoaders


@strawberry.type
class GallerySubscription:
    @strawberry.subscription(
        description="Changes of the public gallery (PUBLISHED, UPDATED, UNPUBLISHED, "
        "LIKE_COUNT_CHANGED) after `after`, then live ones. Public."
    )
    async def gallery_changes(
        self,
        info: Info,
        after: Annotated[int | None, strawberry.argument(description=AFTER)] = None,
    ) -> AsyncIterator[GalleryChange]:
        await check_cursor(GALLERY_STREAM, after)
        viewer_user_id = info.context.principal.user_id

        async def load_rows(event_ids: list[str]) -> dict[str, _Delivery]:
            events = await events_by_ids(event_ids)
            works = await works_by_keys(
                [entry_key(row.play_type, row.work_id) for row in events.values()]
            )
            loaders = GalleryLoaders(viewer_user_id=viewer_user_id)  # one per batch
            return {
                event_id: _Delivery(
                    event=row,
                    work=works.get(entry_key(row.play_type, row.work_id)),
                    loaders=loaders,
                )
                for event_id, row in events.items()
            }

        return deliver(info.context, GALLERY_STREAM, after, load_rows=load_rows, convert=_convert)


def _convert(delivery: _Delivery, sequence: int) -> GalleryChange:
    work_row = delivery.work
    work = work_from_row(work_row, delivery.loaders) if work_row is not None else None
    return GalleryChange.from_row(delivery.event, sequence, work)
