"""The viewer's puzzle fields: a mixin listed among `Viewer`'s bases (schema/auth/viewer.py)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.auth.rows import UserAccountRow
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.puzzle import sessions, works
from schema.gallery.loaders import GalleryLoaders
from schema.puzzle.session import PuzzleSession
from schema.puzzle.work import PuzzleWork, build_works
from schema.relay import Connection, Edge, PageInfo

FIRST = "Page size, 1 to 100 (default 20)."
AFTER = "`endCursor` of the previous page."


@strawberry.type(description="Puzzle fields of the viewer.")
class PuzzleViewerFields:
    row: strawberry.Private[UserAccountRow]

    @strawberry.field(
        description="Your puzzle works, drafts and published, most recently changed first "
        "(keyset paging). A draft appears as soon as its form is opened, with no cover and "
        "not publish-ready. A page costs a constant number of statements."
    )
    async def puzzle_works(
        self,
        status: Annotated[
            WorkPublicationStatus | None,
            strawberry.argument(description="Only drafts, or only published works."),
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[PuzzleWork]:
        page = await works.works_of(
            user_id=self.row.user_id,
            status=WorkPublicationStatus(status.value) if status is not None else None,
            first=first,
            after=after,
        )
        built = await build_works(page.items, GalleryLoaders(viewer_user_id=self.row.user_id))
        return Connection[PuzzleWork](
            edges=[
                Edge(cursor=cursor, node=work)
                for work, cursor in zip(built, page.cursors, strict=True)
            ],
            page_info=PageInfo(
                has_next_page=page.has_next_page,
                end_cursor=page.cursors[-1] if page.cursors else None,
            ),
        )

    @strawberry.field(
        description="Your puzzle creation sessions, most recently changed first (keyset "
        "paging); their finished agent turns are applied first."
    )
    async def puzzle_sessions(
        self,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[PuzzleSession]:
        page = await sessions.sessions_of(user_id=self.row.user_id, first=first, after=after)
        loaders = GalleryLoaders(viewer_user_id=self.row.user_id)
        return Connection[PuzzleSession].from_page(
            page, lambda row: PuzzleSession.from_row(row, loaders)
        )
