"""Visual-novel queries: one session (yours), one work (yours or published), one run's
history (yours)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.visual_novel import sessions, works
from schema.context import Info
from schema.gallery.loaders import gallery_loaders
from schema.ids import object_id
from schema.permissions import IsAuthenticated
from schema.visual_novel.sessions import VisualNovelSession
from schema.visual_novel.work import VisualNovelWork, build_works


@strawberry.type
class VisualNovelQuery:
    @strawberry.field(
        description="One of your visual-novel sessions (its finished agent turns applied "
        "first). NOT_FOUND for an unknown session or another user's.",
        permission_classes=[IsAuthenticated],
    )
    async def visual_novel_session(
        self,
        info: Info,
        session_id: Annotated[strawberry.ID, strawberry.argument(description="The session.")],
    ) -> VisualNovelSession:
        row = await sessions.owned_session(
            viewer=info.context.principal, session_id=str(session_id)
        )
        return VisualNovelSession.from_row(row, gallery_loaders(info))

    @strawberry.field(
        description="A visual novel: your own (draft or published) or anyone's published "
        "one. NOT_FOUND otherwise (someone else's draft included).",
        permission_classes=[IsAuthenticated],
    )
    async def visual_novel_work(
        self,
        info: Info,
        work_id: Annotated[
            strawberry.ID, strawberry.argument(description="The `workId`, or the work's `id`.")
        ],
    ) -> VisualNovelWork:
        row = await works.visible_work(
            viewer=info.context.principal, work_id=object_id(work_id, VisualNovelWork)
        )
        return (await build_works([row], gallery_loaders(info)))[0]
