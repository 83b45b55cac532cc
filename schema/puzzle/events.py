"""`PuzzleEvent`: one numbered event of the viewer's puzzle stream."""

from __future__ import annotations

from datetime import datetime

import strawberry

from resolvers.puzzle.model import PuzzleEventKind
from resolvers.puzzle.rows import PuzzleEventRow
from schema.gallery.loaders import GalleryLoaders
from schema.puzzle.loaders import puzzle_loaders
from schema.puzzle.work import PuzzleWork, build_works


@strawberry.type(
    description="One puzzle event of the viewer's works (PUBLISHED, UPDATED, UNPUBLISHED), "
    "numbered in the viewer's puzzle stream."
)
class PuzzleEvent:
    event_id: strawberry.ID = strawberry.field(description="The event's id.")
    sequence: int = strawberry.field(
        description="Position in the stream: 1, 2, … with no gaps; resume `after` it."
    )
    kind: PuzzleEventKind = strawberry.field(description="What happened.")
    work_id: strawberry.ID = strawberry.field(description="The work concerned.")
    session_id: strawberry.ID | None = strawberry.field(description="Its creation session.")
    occurred_at: datetime = strawberry.field(description="When it was committed.")
    loaders: strawberry.Private[GalleryLoaders]

    @classmethod
    def from_row(cls, row: PuzzleEventRow, sequence: int, loaders: GalleryLoaders) -> PuzzleEvent:
        return cls(
            event_id=strawberry.ID(row.event_id),
            sequence=sequence,
            kind=row.event_kind,
            work_id=strawberry.ID(row.work_id),
            session_id=strawberry.ID(row.session_id) if row.session_id else None,
            occurred_at=row.occurred_at,
            loaders=loaders,
        )

    @strawberry.field(description="The work as it is now (read when the event is delivered).")
    async def work(self) -> PuzzleWork | None:
        row = await puzzle_loaders(self.loaders).works.load(str(self.work_id))
        if row is None or not row.visible_to(self.loaders.viewer_user_id):
            return None
        return (await build_works([row], self.loaders))[0]
