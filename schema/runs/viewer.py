"""The viewer's run fields (a mixin listed among `Viewer`'s bases, schema/auth/viewer.py):
their runs across play types, the works they played, their total play time."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from resolvers.auth.rows import UserAccountRow
from resolvers.economy.store.wallet import total_play_time_ms
from resolvers.gallery.play_types import PlayType
from resolvers.profile.model import PlayedWorkRow
from resolvers.profile.store.played import played_works_of
from resolvers.runs import reading
from resolvers.runs.model import RunStatus
from schema.context import Info
from schema.gallery.work import Work
from schema.relay import Connection, Edge, PageInfo
from schema.runs.types import Run, RunLoaders, build_runs

FIRST = "Page size, 1 to 100 (default 20)."
AFTER = "`endCursor` of the previous page."


@strawberry.type(
    description="A work you played in PLAY runs: one entry per work, moved to the top each "
    "time you play it again."
)
class PlayedWork:
    id: strawberry.ID = strawberry.field(description="The entry's id.")
    world_key: str = strawberry.field(description="`{playType}:{workId}` (lower-case type).")
    play_type: PlayType = strawberry.field(description="The work's play type.")
    work_id: strawberry.ID = strawberry.field(description="The work's `workId`.")
    title: str = strawberry.field(description="Its title when you last started it.")
    subtitle: str = strawberry.field(description="Its subtitle then (may be empty).")
    first_played_at: datetime = strawberry.field(description="Your first run of it.")
    last_played_at: datetime = strawberry.field(
        description="Your latest run of it (its start, or its end once it ended)."
    )
    last_observed_play_time_ms: int = strawberry.field(
        description="Milliseconds played in your last finished run of it (0 before one ended)."
    )
    loaders: strawberry.Private[RunLoaders]

    @strawberry.field(description="The work as you may see it now (null once unpublished).")
    async def work(self) -> Work | None:
        return await self.loaders.works.load((self.play_type, str(self.work_id)))

    @classmethod
    def from_row(cls, row: PlayedWorkRow, loaders: RunLoaders) -> PlayedWork:
        return cls(
            id=strawberry.ID(row.played_world_id),
            world_key=row.world_key,
            play_type=row.world_type,
            work_id=strawberry.ID(row.profile_id),
            title=row.world_title,
            subtitle=row.world_subtitle,
            first_played_at=row.first_played_at,
            last_played_at=row.last_played_at,
            last_observed_play_time_ms=row.last_observed_play_time_ms,
            loaders=loaders,
        )


@strawberry.type(description="Run fields of the viewer.")
class RunsViewerFields:
    row: strawberry.Private[UserAccountRow]

    @strawberry.field(
        description="Your runs of every play type, most recently changed first (keyset "
        "paging), with their full state: resume one after a reconnect. Runs whose time "
        "is up show EXPIRED once swept or read on their own. A page costs a constant "
        "number of statements."
    )
    async def runs(
        self,
        info: Info,
        play_type: Annotated[
            PlayType | None, strawberry.argument(description="Only runs of this play type.")
        ] = None,
        status: Annotated[
            RunStatus | None, strawberry.argument(description="Only runs with this status.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[Run]:
        page = await reading.runs_of(
            user_id=self.row.user_id,
            play_type=play_type,
            status=status,
            first=first,
            after=after,
        )
        built = await build_runs(page.items, info)
        return Connection[Run](
            edges=[
                Edge(cursor=cursor, node=run)
                for run, cursor in zip(built, page.cursors, strict=True)
                if run is not None
            ],
            page_info=PageInfo(
                has_next_page=page.has_next_page,
                end_cursor=page.cursors[-1] if page.cursors else None,
            ),
        )

    @strawberry.field(
        description="Works you played (PLAY runs), most recently played first (keyset "
        "paging), one entry per work."
    )
    async def played_works(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[PlayedWork]:
        page = await played_works_of(user_id=self.row.user_id, first=first, after=after)
        loaders = RunLoaders(info)
        return Connection[PlayedWork].from_page(page, lambda row: PlayedWork.from_row(row, loaders))

    @strawberry.field(
        description="Milliseconds spent in your finished PLAY runs (each counts its time "
        "up to its limit when it ends). A Float holding a whole number: it can pass GraphQL "
        "Int's 32 bits."
    )
    async def total_play_time_ms(self) -> float:
        return float(await total_play_time_ms(self.row.user_id))
