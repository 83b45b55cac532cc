"""The public gallery feed."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers import clock
from resolvers.gallery.feed import gallery_page
from resolvers.gallery.model import GalleryOrder
from resolvers.gallery.play_types import PlayType
from schema import cache_notes
from schema.context import Info
from schema.gallery.loaders import GalleryLoaders
from schema.gallery.work import Work, registered_play_types, work_type_for
from schema.relay import Connection, Edge, PageInfo


@strawberry.type
class GalleryQuery:
    @strawberry.field(
        description="Published works of every play type, one feed: filter by play type and "
        "theme, order by HOT (7-day plays), NEWEST or MOST_LIKED; keyset cursors (NEWEST "
        "pages stay exact while works are published). Public; `viewerHasLiked` is false "
        "for anonymous callers."
    )
    async def gallery(
        self,
        info: Info,
        play_type: Annotated[
            PlayType | None, strawberry.argument(description="Only this play type.")
        ] = None,
        theme: Annotated[
            str | None, strawberry.argument(description="Only works with exactly this theme.")
        ] = None,
        order: Annotated[
            GalleryOrder, strawberry.argument(description="Sort order (default HOT).")
        ] = GalleryOrder.HOT,
        first: Annotated[
            int | None, strawberry.argument(description="Page size, 1 to 100 (default 20).")
        ] = None,
        after: Annotated[
            str | None, strawberry.argument(description="`endCursor` of the previous page.")
        ] = None,
    ) -> Connection[Work]:
        return await gallery_connection(
            viewer_user_id=info.context.principal.user_id,
            play_type=play_type,
            theme=theme,
            order=order,
            first=first,
            after=after,
        )


async def gallery_connection(
    *,
    viewer_user_id: str | None,
    play_type: PlayType | None,
    theme: str | None,
    order: GalleryOrder,
    first: int | None,
    after: str | None,
) -> Connection[Work]:
    """The `gallery` field's value, for the field and for its plan (schema/plan/)."""
    now = clock.now()
    page = await gallery_page(
        viewer_user_id=viewer_user_id,
        play_types=registered_play_types(),
        play_type=play_type,
        theme=theme,
        order=order,
        first=first,
        after=after,
        now=now,
    )
    # The public-response cache: a like-count change of another work leaves this page
    # as it is, unless the page is ordered by likes.
    cache_notes.note_works(
        (row.entry_id for row in page.items), complete=order != GalleryOrder.MOST_LIKED
    )
    loaders = GalleryLoaders(viewer_user_id=viewer_user_id, now=now)
    edges: list[Edge[Work]] = []
    for row, cursor in zip(page.items, page.cursors, strict=True):
        cls = work_type_for(row.play_type)
        if cls is not None:  # the query only reads registered play types
            edges.append(Edge(cursor=cursor, node=cls.from_gallery_row(row, loaders)))
    return Connection[Work](
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next_page,
            end_cursor=page.cursors[-1] if page.cursors else None,
        ),
    )
