"""Match3D queries: one session (yours), one work (yours or published). Lists are
`viewer.match3dSessions` and `viewer.match3dWorks`."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.match3d import sessions, works
from schema.context import Info
from schema.gallery.loaders import gallery_loaders
from schema.ids import object_id
from schema.match3d.sessions import Match3dSession
from schema.match3d.types import Match3dWork, build_works
from schema.permissions import IsAuthenticated


@strawberry.type
class Match3dQuery:
    @strawberry.field(
        description="One of your Match3D sessions (its finished agent turns applied first). "
        "NOT_FOUND for an unknown session or another user's.",
        permission_classes=[IsAuthenticated],
    )
    async def match3d_session(
        self,
        info: Info,
        session_id: Annotated[strawberry.ID, strawberry.argument(description="The session.")],
    ) -> Match3dSession:
        row = await sessions.owned_session(
            viewer=info.context.principal, session_id=str(session_id)
        )
        return Match3dSession.from_row(row, gallery_loaders(info))

    @strawberry.field(
        description="A Match3D work: your own (draft or published) or anyone's published "
        "one. NOT_FOUND otherwise (someone else's draft included).",
        permission_classes=[IsAuthenticated],
    )
    async def match3d_work(
        self,
        info: Info,
        work_id: Annotated[
            strawberry.ID, strawberry.argument(description="The `workId`, or the work's `id`.")
        ],
    ) -> Match3dWork:
        row = await works.visible_work(
            viewer=info.context.principal, work_id=object_id(work_id, Match3dWork)
        )
        return (await build_works([row], gallery_loaders(info)))[0]
