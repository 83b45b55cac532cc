"""The viewer's big-fish fields: a mixin listed among `Viewer`'s bases
(schema/auth/viewer.py)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.auth.rows import UserAccountRow
from resolvers.big_fish import sessions, slots
from resolvers.gallery.model import WorkPublicationStatus
from schema.big_fish.types import BigFishSession
from schema.relay import Connection

FIRST = "Page size, 1 to 100 (default 20)."
AFTER = "`endCursor` of the previous page."


@strawberry.type(description="Big-fish fields of the viewer.")
class BigFishViewerFields:
    row: strawberry.Private[UserAccountRow]

    @strawberry.field(
        description="Your big-fish sessions (each is its work: drafts and published), most "
        "recently changed first (keyset paging), with their sprite slots as last refreshed. "
        "A page costs a constant number of statements."
    )
    async def big_fish_sessions(
        self,
        status: Annotated[
            WorkPublicationStatus | None,
            strawberry.argument(description="Only drafts, or only published works."),
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[BigFishSession]:
        page = await sessions.sessions_of(
            user_id=self.row.user_id,
            status=WorkPublicationStatus(status.value) if status is not None else None,
            first=first,
            after=after,
        )
        found = await slots.slots_of([row.session_id for row in page.items])
        return Connection[BigFishSession].from_page(
            page, lambda row: BigFishSession.from_row(row, found[row.session_id])
        )
