"""Square-hole queries: one session (yours), one work (yours or published). Lists are
`viewer.squareHoleSessions` and `viewer.squareHoleWorks`; published works are in the
gallery feed like every play type's."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.square_hole import sessions, works
from schema.context import Info
from schema.gallery.loaders import gallery_loaders
from schema.ids import object_id
from schema.permissions import IsAuthenticated
from schema.square_hole.types import (
    SquareHoleSession,
    SquareHoleWork,
    build_works,
)


@strawberry.type
class SquareHoleQuery:
    @strawberry.field(
        description="One of your square-hole sessions (its finished agent turns applied "
        "first). NOT_FOUND for an unknown session or another user's.",
        permission_classes=[IsAuthenticated],
    )
    async def square_hole_session(
        self,
        info: Info,
        session_id: Annotated[strawberry.ID, strawberry.argument(description="The session.")],
    ) -> SquareHoleSession:
        row = await sessions.owned_session(
            viewer=info.context.principal, session_id=str(session_id)
        )
        return SquareHoleSession.from_row(row, gallery_loaders(info))

    @strawberry.field(
        description="A square-hole work: your own (draft or published) or anyone's "
        "published one. NOT_FOUND otherwise (someone else's draft included).",
        permission_classes=[IsAuthenticated],
    )
    async def square_hole_work(
        self,
        info: Info,
        work_id: Annotated[
            strawberry.ID, strawberry.argument(description="The `workId`, or the work's `id`.")
        ],
    ) -> SquareHoleWork:
        row = await works.visible_work(
            viewer=info.context.principal, work_id=object_id(work_id, SquareHoleWork)
        )
        return (await build_works([row], gallery_loaders(info)))[0]
