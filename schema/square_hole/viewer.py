"""The viewer's square-hole fields: a mixin listed among `Viewer`'s bases
(schema/auth/viewer.py)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.auth.rows import UserAccountRow
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.square_hole import sessions, works
from schema.gallery.loaders import GalleryLoaders
from schema.relay import Connection
from schema.square_hole.types import SquareHoleSession, SquareHoleWork, build_works

FIRST = "Page size, 1 to 100 (default 20)."
AFTER = "`endCursor` of the previous page."


@strawberry.type(description="Square-hole fields of the viewer.")
class SquareHoleViewerFields:
    row: strawberry.Private[UserAccountRow]

    @strawberry.field(
        description="Your square-hole works, drafts and published, most recently changed "
        "first (keyset paging). A draft appears as soon as its session starts, with no "
        "cover and not publish-ready. A page costs a constant number of statements."
    )
    async def square_hole_works(
        self,
        status: Annotated[
            WorkPublicationStatus | None,
            strawberry.argument(description="Only drafts, or only published works."),
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[SquareHoleWork]:
        page = await works.works_of(
            user_id=self.row.user_id,
            status=WorkPublicationStatus(status.value) if status is not None else None,
            first=first,
            after=after,
        )
        built = await build_works(page.items, GalleryLoaders(viewer_user_id=self.row.user_id))
        # Built in page order: each row's work is the next one.
        ordered = iter(built)
        return Connection[SquareHoleWork].from_page(page, lambda _row: next(ordered))

    @strawberry.field(
        description="Your square-hole creation sessions, most recently changed first "
        "(keyset paging); their finished agent turns are applied first. A page costs a "
        "constant number of statements."
    )
    async def square_hole_sessions(
        self,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[SquareHoleSession]:
        page = await sessions.sessions_of(user_id=self.row.user_id, first=first, after=after)
        loaders = GalleryLoaders(viewer_user_id=self.row.user_id)
        return Connection[SquareHoleSession].from_page(
            page, lambda row: SquareHoleSession.from_row(row, loaders)
        )
