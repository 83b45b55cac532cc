"""The viewer's visual-novel fields: a mixin listed among `Viewer`'s bases
(schema/auth/viewer.py)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.auth.rows import UserAccountRow
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.visual_novel import works
from schema.gallery.loaders import GalleryLoaders
from schema.relay import Connection, Edge, PageInfo
from schema.visual_novel.work import VisualNovelWork, build_works

FIRST = "Page size, 1 to 100 (default 20)."
AFTER = "`endCursor` of the previous page."


@strawberry.type(description="Visual-novel fields of the viewer.")
class VisualNovelViewerFields:
    row: strawberry.Private[UserAccountRow]

    @strawberry.field(
        description="Your visual novels, drafts and published, most recently changed first "
        "(keyset paging). A draft appears as soon as its session starts. A page costs a "
        "constant number of statements."
    )
    async def visual_novel_works(
        self,
        status: Annotated[
            WorkPublicationStatus | None,
            strawberry.argument(description="Only drafts, or only published works."),
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[VisualNovelWork]:
        page = await works.works_of(
            user_id=self.row.user_id,
            status=WorkPublicationStatus(status.value) if status is not None else None,
            first=first,
            after=after,
        )
        built = await build_works(page.items, GalleryLoaders(viewer_user_id=self.row.user_id))
        return Connection[VisualNovelWork](
            edges=[
                Edge(cursor=cursor, node=work)
                for work, cursor in zip(built, page.cursors, strict=True)
            ],
            page_info=PageInfo(
                has_next_page=page.has_next_page,
                end_cursor=page.cursors[-1] if page.cursors else None,
            ),
        )
