"""The viewer's custom-world fields: a mixin among `Viewer`'s bases (schema/auth/viewer.py)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.auth.rows import UserAccountRow
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.worlds import legacy, reading, work_reads
from schema.relay import Connection
from schema.worlds.loaders import WorldLoaders
from schema.worlds.types import (
    AFTER,
    FIRST,
    CustomWorldAgentSession,
    CustomWorldSession,
    CustomWorldWork,
    works_from_profiles,
)


@strawberry.type(description="Custom-world fields of the viewer.")
class WorldsViewerFields:
    row: strawberry.Private[UserAccountRow]

    @strawberry.field(
        description="Your custom worlds (drafts and published; deleted ones never), most "
        "recently changed first. A page costs a constant number of statements."
    )
    async def custom_worlds(
        self,
        publication_status: Annotated[
            WorkPublicationStatus | None,
            strawberry.argument(description="Only DRAFT or only PUBLISHED worlds."),
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[CustomWorldWork]:
        status = WorkPublicationStatus(publication_status.value) if publication_status else None
        page = await work_reads.works_of(
            user_id=self.row.user_id, status=status, first=first, after=after
        )
        loaders = WorldLoaders(viewer_user_id=self.row.user_id)
        works = {str(w.work_id): w for w in await works_from_profiles(page.items, loaders)}
        return Connection[CustomWorldWork].from_page(page, lambda row: works[row.profile_id])

    @strawberry.field(
        description="Your custom-world agent sessions, most recently changed first (finished "
        "turns applied first)."
    )
    async def custom_world_agent_sessions(
        self,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[CustomWorldAgentSession]:
        page = await reading.sessions_of(user_id=self.row.user_id, first=first, after=after)
        loaders = WorldLoaders(viewer_user_id=self.row.user_id)
        return Connection[CustomWorldAgentSession].from_page(
            page, lambda row: CustomWorldAgentSession.from_row(row, loaders)
        )

    @strawberry.field(description="Your question-and-answer sessions, most recently changed first.")
    async def custom_world_sessions(
        self,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[CustomWorldSession]:
        page = await legacy.legacy_sessions_of(user_id=self.row.user_id, first=first, after=after)
        return Connection[CustomWorldSession].from_page(page, CustomWorldSession.from_row)
