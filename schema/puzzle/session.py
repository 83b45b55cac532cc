"""`PuzzleSession` (a `CreationSession`): the form and the conversation behind a puzzle."""

from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from resolvers.gallery.play_types import PlayType
from resolvers.puzzle import drafts
from resolvers.puzzle.model import PuzzleStage
from resolvers.puzzle.rows import PuzzleSessionRow
from schema.creation.types import CreationSession
from schema.gallery.loaders import GalleryLoaders
from schema.puzzle.loaders import puzzle_loaders
from schema.puzzle.types import PuzzleDraftType
from schema.puzzle.work import PuzzleWork, build_works


@strawberry.type(
    description="A puzzle creation session: the form and the conversation with the "
    "creation agent. Only its owner sees it."
)
class PuzzleSession(CreationSession):
    puzzle_stage: PuzzleStage = strawberry.field(description="The stage, as an enum.")
    puzzle_draft: PuzzleDraftType = strawberry.field(
        description="The typed draft (empty until the form or the agent fills it)."
    )
    anchor_pack: JSON = strawberry.field(description="What the creation is anchored on.")
    published_work_id: strawberry.ID | None = strawberry.field(
        description="The work once it has been published."
    )
    gallery_loaders: strawberry.Private[GalleryLoaders]

    @classmethod
    def from_row(cls, row: PuzzleSessionRow, loaders: GalleryLoaders) -> PuzzleSession:
        draft = drafts.stored_draft(row.draft_json)
        published = row.published_profile_id
        return cls(
            **CreationSession.session_fields(
                play_type=PlayType.PUZZLE,
                row=row.shared,
                draft=row.draft_json,
                loaders=puzzle_loaders(loaders).creation,
            ),
            puzzle_stage=row.stage,
            puzzle_draft=PuzzleDraftType.from_draft(draft),
            anchor_pack=JSON(row.anchor_pack_json),
            published_work_id=strawberry.ID(published) if published else None,
            gallery_loaders=loaders,
        )

    @strawberry.field(
        description="Its work: the draft card (no cover and not publish-ready at first) or "
        "the published work."
    )
    async def work(self) -> PuzzleWork | None:
        row = await puzzle_loaders(self.gallery_loaders).works_by_session.load(str(self.session_id))
        if row is None:
            return None
        return (await build_works([row], self.gallery_loaders))[0]
