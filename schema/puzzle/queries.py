"""Puzzle queries: one session (yours), one work (yours or published), a published work
by its public code (anyone). Lists are `viewer.puzzleSessions` and `viewer.puzzleWorks`."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.puzzle import sessions, works
from schema.context import Info
from schema.gallery.loaders import GalleryLoaders, gallery_loaders
from schema.ids import object_id
from schema.permissions import IsAuthenticated
from schema.puzzle.session import PuzzleSession
from schema.puzzle.work import PuzzleWork, build_works


@strawberry.type
class PuzzleQuery:
    @strawberry.field(
        description="One of your puzzle sessions (its finished agent turns applied first). "
        "NOT_FOUND for an unknown session or another user's.",
        permission_classes=[IsAuthenticated],
    )
    async def puzzle_session(
        self,
        info: Info,
        session_id: Annotated[strawberry.ID, strawberry.argument(description="The session.")],
    ) -> PuzzleSession:
        row = await sessions.owned_session(
            viewer=info.context.principal, session_id=str(session_id)
        )
        return PuzzleSession.from_row(row, gallery_loaders(info))

    @strawberry.field(
        description="A puzzle work: your own (draft or published) or anyone's published one. "
        "NOT_FOUND otherwise (someone else's draft included).",
        permission_classes=[IsAuthenticated],
    )
    async def puzzle_work(
        self,
        info: Info,
        work_id: Annotated[
            strawberry.ID, strawberry.argument(description="The `workId`, or the work's `id`.")
        ],
    ) -> PuzzleWork:
        row = await works.visible_work(
            viewer=info.context.principal, work_id=object_id(work_id, PuzzleWork)
        )
        return (await build_works([row], gallery_loaders(info)))[0]

    @strawberry.field(
        description="A published puzzle work by its public work code; null when no "
        "published work has it. Anyone may ask."
    )
    async def public_puzzle_work(
        self,
        info: Info,
        public_work_code: Annotated[
            str, strawberry.argument(description="The code (`PZ` and 10 characters).")
        ],
    ) -> PuzzleWork | None:
        return await public_puzzle_work(public_work_code, gallery_loaders(info))


async def public_puzzle_work(public_work_code: str, loaders: GalleryLoaders) -> PuzzleWork | None:
    """The `publicPuzzleWork` field's value, for the field and for its plan (schema/plan/)."""
    row = await works.published_work_by_code(public_work_code.strip().upper())
    if row is None:
        return None
    return (await build_works([row], loaders))[0]
