"""Gallery enums, errors and change events on the graph."""

from __future__ import annotations

from datetime import datetime

import strawberry

from resolvers.gallery.errors import GalleryErrorCode
from resolvers.gallery.model import GalleryChangeKind, GalleryOrder
from resolvers.gallery.play_types import PlayType
from resolvers.gallery.rows import GalleryChangeEventRow
from schema.gallery.work import Work

strawberry.enum(GalleryErrorCode, description="Why a gallery mutation was refused.")
strawberry.enum(
    GalleryOrder,
    description="HOT: most plays over the last 7 Beijing days first. NEWEST: most recently "
    "first published first. MOST_LIKED: most likes first. Ties: newest first.",
)
strawberry.enum(
    GalleryChangeKind,
    description="PUBLISHED (first publication, or again after an unpublish), UPDATED, "
    "UNPUBLISHED, LIKE_COUNT_CHANGED.",
)


@strawberry.type(description="A refused gallery mutation: nothing was written.")
class GalleryErrorType:
    code: GalleryErrorCode = strawberry.field(description="Machine-readable reason.")
    field: str | None = strawberry.field(description="The argument at fault, if any.")
    message: str = strawberry.field(description="Human-readable explanation.")


@strawberry.type(description="One change of the public gallery, numbered in its stream.")
class GalleryChange:
    sequence: int = strawberry.field(
        description="Position in the gallery stream; resume with it as `after`."
    )
    kind: GalleryChangeKind = strawberry.field(description="What changed.")
    play_type: PlayType = strawberry.field(description="The work's play type.")
    work_id: strawberry.ID = strawberry.field(description="The work's id within its play type.")
    like_count: int | None = strawberry.field(
        description="For LIKE_COUNT_CHANGED: the count this change left; null otherwise."
    )
    occurred_at: datetime = strawberry.field(description="When the change was committed.")
    work: Work | None = strawberry.field(
        description="The work as the gallery shows it now (read when the event is "
        "delivered); null once it is no longer published."
    )

    @classmethod
    def from_row(
        cls, row: GalleryChangeEventRow, sequence: int, work: Work | None
    ) -> GalleryChange:
        return cls(
            sequence=sequence,
            kind=row.event_kind,
            play_type=row.play_type,
            work_id=strawberry.ID(row.work_id),
            like_count=row.like_count,
            occurred_at=row.occurred_at,
            work=work,
        )
