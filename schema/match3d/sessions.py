"""The Match3D creation session on the graph: `Match3dSession` (a `CreationSession`)."""

from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from resolvers.gallery.play_types import PlayType
from resolvers.match3d import drafts
from resolvers.match3d.model import Match3dStage
from resolvers.match3d.rows import Match3dSessionRow
from schema.creation.types import CreationSession
from schema.gallery.loaders import GalleryLoaders
from schema.match3d.drafts import Match3dDraftType
from schema.match3d.types import Match3dWork, build_works, match3d_loaders


@strawberry.type(
    description="A Match3D creation session: the form and the conversation with the "
    "creation agent. Only its owner sees it."
)
class Match3dSession(CreationSession):
    match3d_stage: Match3dStage = strawberry.field(description="The stage, as an enum.")
    match3d_draft: Match3dDraftType = strawberry.field(
        description="The typed draft (empty until the form or the agent fills it)."
    )
    config: JSON = strawberry.field(
        description="The play configuration saved with the draft (`config_json`: items, "
        "layers, difficulty, clearCount, timeLimitSeconds)."
    )
    published_work_id: strawberry.ID | None = strawberry.field(
        description="The work once it has been published (`published_profile_id`)."
    )
    gallery_loaders: strawberry.Private[GalleryLoaders]

    @classmethod
    def from_row(cls, row: Match3dSessionRow, loaders: GalleryLoaders) -> Match3dSession:
        published = row.published_profile_id
        return cls(
            **CreationSession.session_fields(
                play_type=PlayType.MATCH3D,
                row=row.shared,
                draft=row.draft_json,
                loaders=match3d_loaders(loaders).creation,
            ),
            match3d_stage=row.stage,
            match3d_draft=Match3dDraftType.from_draft(drafts.stored_draft(row.draft_json)),
            config=JSON(row.config_json),
            published_work_id=strawberry.ID(published) if published else None,
            gallery_loaders=loaders,
        )

    @strawberry.field(description="Its work: the draft card or the published work.")
    async def work(self) -> Match3dWork | None:
        scoped = match3d_loaders(self.gallery_loaders)
        row = await scoped.works_by_session.load(str(self.session_id))
        return (await build_works([row], self.gallery_loaders))[0] if row else None
