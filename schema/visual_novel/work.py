"""`VisualNovelWork` (a `Work`) and its scenes, and `build_works`, which builds a list of them.

Every object of a list is built from rows already loaded; what a field needs beyond its
row (bound images, the session's draft, the gallery's counts) comes through the
operation's loaders, one statement per kind of data for the whole list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

from resolvers.assets.objects import read_path
from resolvers.gallery.model import WorkPublicationStatus, entry_key
from resolvers.gallery.play_types import PlayType
from resolvers.play_types.gates import Blocker
from resolvers.visual_novel import drafts, works
from resolvers.visual_novel.gate import blockers
from resolvers.visual_novel.rows import VisualNovelWorkRow
from schema.assets.signed import signed_url
from schema.context import Info
from schema.gallery.loaders import GalleryLoaders, gallery_loaders
from schema.gallery.work import Work
from schema.visual_novel.loaders import vn_loaders
from schema.visual_novel.types import VisualNovelBlocker

ASSET_PATH = read_path("")


@strawberry.type(description="A scene of a visual novel (docs/visual-novel.md).")
class VisualNovelScene:
    scene_id: strawberry.ID = strawberry.field(description="Stable id (image slot `scene:<id>`).")
    title: str = strawberry.field(description="Its title.")
    phase_id: str | None = strawberry.field(description="The phase it belongs to, if any.")
    text: str = strawberry.field(description="What the scene shows, up to 4000 characters.")
    character_ids: list[str] = strawberry.field(description="The characters on stage.")
    choices: JSON = strawberry.field(
        description="Its choices: `choiceId`, `label`, `conditions`, `effects`, "
        "`nextSceneId` or `endingId` (the draft's JSON)."
    )
    image_url: str | None = strawberry.field(
        description="Signed URL of its image, valid 15 minutes; null without one."
    )


@strawberry.type(
    description="A visual novel: scenes with choices that change flags and metrics, leading "
    "to endings that win or lose. A draft is its author's alone; a published one is anyone's."
)
class VisualNovelWork(Work):
    profile_row: strawberry.Private[VisualNovelWorkRow | None] = None

    @classmethod
    def gallery_cover(cls, src: str | None) -> str | None:
        if src is not None and src.startswith(ASSET_PATH):
            return signed_url(src.removeprefix(ASSET_PATH))
        return src

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[VisualNovelWork | None]:
        """Published works for anyone, drafts for their owner."""
        ids = list(node_ids)
        rows = await works.works_by_id(ids)
        viewer = info.context.principal.user_id
        shown = [
            row
            for work_id in ids
            if (row := rows.get(work_id)) is not None and row.visible_to(viewer)
        ]
        built = {
            str(work.work_id): work for work in await build_works(shown, gallery_loaders(info))
        }
        return [built.get(work_id) for work_id in ids]

    @property
    def _is_owner(self) -> bool:
        return self.loaders.viewer_user_id == self.owner_user_id

    async def _profile(self) -> VisualNovelWorkRow:
        if self.profile_row is not None:
            return self.profile_row
        row = await vn_loaders(self.loaders).works.load(str(self.work_id))
        assert row is not None
        return row

    async def _stored(self) -> dict[str, Any]:
        stored: dict[str, Any] = (await self._profile()).draft_json or {}
        return stored

    @strawberry.field(description="Public work code (`VN` and 10 characters), once published.")
    async def public_work_code(self) -> str | None:
        return (await self._profile()).public_work_code

    @strawberry.field(description="Its creation session (its author only; null for others).")
    async def session_id(self) -> strawberry.ID | None:
        profile = await self._profile()
        if not self._is_owner or not profile.source_session_id:
            return None
        return strawberry.ID(profile.source_session_id)

    @strawberry.field(
        description="The source assets the creation started from (its author only; empty "
        "for others)."
    )
    async def source_asset_ids(self) -> list[strawberry.ID]:
        if not self._is_owner:
            return []
        return [strawberry.ID(a) for a in (await self._profile()).source_asset_ids_json]

    @strawberry.field(description="Whether a run may talk to the story in text (text mode).")
    async def text_mode_enabled(self) -> bool:
        return bool((await self._stored()).get("textModeEnabled", True))

    @strawberry.field(
        description="The characters (`characterId`, `name`, `description`), as published "
        "(a draft: as drafted)."
    )
    async def characters(self) -> JSON:
        return JSON((await self._stored()).get("characters") or [])

    @strawberry.field(description="The scenes, as published (a draft: the current draft).")
    async def scenes(self) -> list[VisualNovelScene]:
        stored = await self._stored()
        if self.publication_status is WorkPublicationStatus.PUBLISHED:
            images = dict(stored.get("sceneImages") or {})
        else:
            bound = await vn_loaders(self.loaders).images.load(str(self.work_id))
            images = {key: asset.asset_object_id for key, asset in bound.scenes.items()}
        return [
            VisualNovelScene(
                scene_id=strawberry.ID(scene["sceneId"]),
                title=scene.get("title") or "",
                phase_id=scene.get("phaseId"),
                text=scene.get("text") or "",
                character_ids=list(scene.get("characterIds") or []),
                choices=JSON(scene.get("choices") or []),
                image_url=signed_url(images.get(scene["sceneId"])),
            )
            for scene in stored.get("scenes") or []
        ]

    @strawberry.field(description="The endings (`endingId`, `title`, `text`, `outcome`).")
    async def endings(self) -> JSON:
        return JSON((await self._stored()).get("endings") or [])

    async def _blockers(self) -> list[Blocker]:
        profile = await self._profile()
        if not profile.source_session_id:
            return []
        loaders = vn_loaders(self.loaders)
        session = await loaders.sessions.load(profile.source_session_id)
        draft = drafts.stored_draft(session.draft_json if session else None)
        return blockers(draft, await loaders.images.load(str(self.work_id)))

    @strawberry.field(
        description="Whether the session's current draft with the images bound now passes "
        "the publish gate (for other users: whether it is published)."
    )
    async def publish_ready(self) -> bool:
        if not self._is_owner:
            return self.publication_status is WorkPublicationStatus.PUBLISHED
        return not await self._blockers()

    @strawberry.field(
        description="What keeps the session's current draft from being published (or "
        "updated), each with a code; empty when ready, and for other users."
    )
    async def publish_blockers(self) -> list[VisualNovelBlocker]:
        if not self._is_owner:
            return []
        return [VisualNovelBlocker.from_blocker(blocker) for blocker in await self._blockers()]

    @strawberry.field(description="When the work was created (its session's start).")
    async def created_at(self) -> datetime:
        return (await self._profile()).created_at

    @strawberry.field(description="Its last change.")
    async def updated_at(self) -> datetime:
        return (await self._profile()).updated_at


async def build_works(
    rows: Sequence[VisualNovelWorkRow], loaders: GalleryLoaders
) -> list[VisualNovelWork]:
    """Works from profile rows the viewer may see: two statements for any number (the
    gallery's counts of published ones, the bound images of drafts)."""
    scoped = vn_loaders(loaders)
    for row in rows:
        scoped.works.prime(row.profile_id, row)
    published = [row for row in rows if row.publication_status is WorkPublicationStatus.PUBLISHED]
    listed = await loaders.works.load_many(
        [entry_key(PlayType.VISUAL_NOVEL, row.profile_id) for row in published]
    )
    counts = {row.profile_id: found for row, found in zip(published, listed, strict=True)}
    drafted = [row for row in rows if row.profile_id not in counts]
    bound = await scoped.images.load_many([row.profile_id for row in drafted])
    covers = {
        row.profile_id: images.cover.asset_object_id if images.cover else None
        for row, images in zip(drafted, bound, strict=True)
    }
    built: list[VisualNovelWork] = []
    for row in rows:
        # The gallery's entry (its counts) of a published work; drafts have none.
        gallery_row = counts.get(row.profile_id)
        src = row.cover_image_src or ""
        cover = (
            src.removeprefix(ASSET_PATH) or None
            if row.profile_id in counts
            else covers.get(row.profile_id)
        )
        built.append(
            VisualNovelWork(
                **Work.work_fields(
                    play_type=PlayType.VISUAL_NOVEL,
                    work_id=row.profile_id,
                    owner_user_id=row.owner_user_id,
                    title=row.work_title,
                    summary=row.work_description,
                    cover_url=signed_url(cover),
                    theme=None,
                    tags=list(row.tags_json),
                    publication_status=row.publication_status,
                    play_count=gallery_row.play_count if gallery_row else row.play_count,
                    like_count=gallery_row.like_count if gallery_row else 0,
                    published_at=row.published_at,
                    loaders=loaders,
                ),
                profile_row=row,
            )
        )
    return built
