"""Big-fish reads: one of your sessions (its slots refreshed from the bindings first) and
one of your runs."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.big_fish import assets, runs, sessions
from schema.big_fish.mutations import session_object
from schema.big_fish.runs import BigFishRun
from schema.big_fish.types import BigFishSession
from schema.context import Info
from schema.permissions import IsAuthenticated


@strawberry.type
class BigFishQuery:
    @strawberry.field(
        description="One of your big-fish sessions, its sprite slots brought up to date "
        "with what is bound (NOT_FOUND for another user's).",
        permission_classes=[IsAuthenticated],
    )
    async def big_fish_session(
        self,
        info: Info,
        session_id: Annotated[strawberry.ID, strawberry.argument(description="The session.")],
    ) -> BigFishSession:
        viewer = info.context.principal
        row = await sessions.owned_session(viewer=viewer, session_id=str(session_id))
        await assets.refresh_slots(session=row)
        return await session_object(
            await sessions.owned_session(viewer=viewer, session_id=str(session_id))
        )

    @strawberry.field(
        description="One of your big-fish runs as last saved (NOT_FOUND for another user's).",
        permission_classes=[IsAuthenticated],
    )
    async def big_fish_run(
        self,
        info: Info,
        run_id: Annotated[strawberry.ID, strawberry.argument(description="The run's id.")],
    ) -> BigFishRun:
        row = await runs.owned_run(viewer=info.context.principal, run_id=str(run_id))
        return BigFishRun.from_row(row)
