"""The visual-novel creation session on the graph: `VisualNovelSession` (a
`CreationSession`)."""

from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from resolvers.gallery.play_types import PlayType
from resolvers.visual_novel import drafts
from resolvers.visual_novel.model import VisualNovelSourceMode, VisualNovelStage
from resolvers.visual_novel.rows import VisualNovelSessionRow
from schema.creation.types import CreationSession
from schema.gallery.loaders import GalleryLoaders
from schema.visual_novel.loaders import vn_loaders
from schema.visual_novel.work import VisualNovelWork, build_works


@strawberry.type(
    description="A visual-novel creation session: where it started, the typed draft, the "
    "agent's next proposal and the conversation. Only its owner sees it."
)
class VisualNovelSession(CreationSession):
    visual_novel_stage: VisualNovelStage = strawberry.field(
        description="The stage (`status`), as an enum."
    )
    source_mode: VisualNovelSourceMode = strawberry.field(
        description="SEED or ASSETS: what the creation started from."
    )
    source_asset_ids: list[strawberry.ID] = strawberry.field(
        description="Your confirmed assets it started from (SOURCE mode ASSETS; else empty)."
    )
    visual_novel_draft: JSON = strawberry.field(
        description="The `VisualNovelResultDraft`, validated (docs/visual-novel.md: title, "
        "summary, tags, textModeEnabled, startSceneId, characters, phases, scenes with "
        "choices, endings)."
    )
    pending_action: JSON | None = strawberry.field(
        description="What the agent proposes next: `{kind: add_scenes}`, `{kind: "
        "generate_scene_images, sceneIds}` or `{kind: publish}`; null once published."
    )
    published_work_id: strawberry.ID | None = strawberry.field(
        description="The work once it has been published (`published_profile_id`)."
    )
    gallery_loaders: strawberry.Private[GalleryLoaders]

    @classmethod
    def from_row(cls, row: VisualNovelSessionRow, loaders: GalleryLoaders) -> VisualNovelSession:
        published = row.published_profile_id
        return cls(
            **CreationSession.session_fields(
                play_type=PlayType.VISUAL_NOVEL,
                row=row.creation(),
                draft=row.draft_json,
                loaders=vn_loaders(loaders).creation,
            ),
            visual_novel_stage=row.status,
            source_mode=row.source_mode,
            source_asset_ids=[strawberry.ID(a) for a in row.source_asset_ids_json],
            visual_novel_draft=JSON(drafts.stored_draft(row.draft_json).stored()),
            pending_action=JSON(row.pending_action_json)
            if row.pending_action_json is not None
            else None,
            published_work_id=strawberry.ID(published) if published else None,
            gallery_loaders=loaders,
        )

    @strawberry.field(description="Its work: the draft card or the published work.")
    async def work(self) -> VisualNovelWork | None:
        scoped = vn_loaders(self.gallery_loaders)
        row = await scoped.works_by_session.load(str(self.session_id))
        return (await build_works([row], self.gallery_loaders))[0] if row else None
