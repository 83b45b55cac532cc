"""Match3D on the graph: `Match3dWork` (a `Work`), its items and publish blockers (the
session type is schema/match3d/sessions.py).

Every object of a list is built from rows already loaded; what a field needs beyond its
row (bound images, the session's draft, the gallery's counts) comes through the
operation's loaders (`GalleryLoaders`, with `Match3dLoaders` scoped inside), one statement
per kind of data for the whole list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from resolvers.assets.objects import read_path
from resolvers.gallery.model import WorkPublicationStatus, entry_key
from resolvers.gallery.play_types import PlayType
from resolvers.match3d import drafts, works
from resolvers.match3d.errors import Match3dErrorCode
from resolvers.match3d.gate import blockers
from resolvers.match3d.model import Match3dBlockerCode, Match3dStage
from resolvers.match3d.rows import Match3dWorkRow
from resolvers.play_types.gates import Blocker
from schema.assets.signed import signed_url
from schema.context import Info
from schema.gallery.loaders import GalleryLoaders, gallery_loaders
from schema.gallery.work import Work
from schema.match3d.loaders import Match3dLoaders

strawberry.enum(
    Match3dStage,
    description="COLLECTING_ANCHORS until the draft has items, DRAFT_READY once it has, "
    "PUBLISHED while its work is published.",
)
strawberry.enum(
    Match3dBlockerCode,
    description="Why a Match3D work cannot be published yet: TITLE_MISSING, COVER_MISSING, "
    "TOO_FEW_ITEMS (fewer than 4), ITEM_NAME_MISSING, ITEM_IMAGE_MISSING (no cut image in "
    "`item:<itemId>`), CLEAR_COUNT_MISMATCH, IMAGE_NOT_PUBLIC, IMAGE_NOT_AN_IMAGE.",
)
strawberry.enum(Match3dErrorCode, description="Why a Match3D mutation was refused.")

ASSET_PATH = read_path("")


def match3d_loaders(loaders: GalleryLoaders) -> Match3dLoaders:
    return loaders.scoped("match3d", Match3dLoaders)


@strawberry.type(description="Something that keeps a Match3D work from being published.")
class Match3dBlocker:
    code: Match3dBlockerCode = strawberry.field(description="Machine-readable reason.")
    field: str | None = strawberry.field(
        description="The part at fault: `title`, `cover`, `items`, `items.<i>.name`, "
        "`items.<i>.image`, `clearCount` (i from 0)."
    )
    item_id: strawberry.ID | None = strawberry.field(description="The item concerned, if any.")
    message: str = strawberry.field(description="Human-readable explanation.")

    @classmethod
    def from_blocker(cls, blocker: Blocker) -> Match3dBlocker:
        return cls(
            code=Match3dBlockerCode(blocker.code),
            field=blocker.field,
            item_id=strawberry.ID(blocker.part_id) if blocker.part_id else None,
            message=blocker.message,
        )


@strawberry.type(description="One item of a Match3D work's item set.")
class Match3dItem:
    item_id: strawberry.ID = strawberry.field(description="Stable id of the item.")
    name: str = strawberry.field(description="Name of the item.")
    count: int = strawberry.field(description="Copies on the board: 3, 6 or 9.")
    size: float = strawberry.field(description="Relative size on the board, 0.5 to 2.")
    model_src: str | None = strawberry.field(description="URL of its 3D model, if any.")
    model_object_key: str | None = strawberry.field(description="Its 3D model's key, if any.")
    cut_image_asset_id: strawberry.ID | None = strawberry.field(
        description="Its cut image (a published work: the one published; a draft: the "
        "object bound to `item:<itemId>` now)."
    )
    cut_image_url: str | None = strawberry.field(
        description="Signed URL of the cut image, valid 15 minutes; null without one."
    )


@strawberry.type(
    description="A Match3D work: a pile of items to clear three alike at a time. A draft is "
    "its author's alone (no cover until one is bound); a published one is anyone's."
)
class Match3dWork(Work):
    profile_row: strawberry.Private[Match3dWorkRow | None] = None

    @classmethod
    def gallery_cover(cls, src: str | None) -> str | None:
        if src is not None and src.startswith(ASSET_PATH):
            return signed_url(src.removeprefix(ASSET_PATH))
        return src

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Match3dWork | None]:
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

    async def _profile(self) -> Match3dWorkRow:
        if self.profile_row is not None:
            return self.profile_row
        row = await match3d_loaders(self.loaders).works.load(str(self.work_id))
        assert row is not None
        return row

    @strawberry.field(description="Public work code (`M3` and 10 characters), once published.")
    async def public_work_code(self) -> str | None:
        return (await self._profile()).public_work_code

    @strawberry.field(description="Its creation session (its author only; null for others).")
    async def session_id(self) -> strawberry.ID | None:
        profile = await self._profile()
        if not self._is_owner or not profile.source_session_id:
            return None
        return strawberry.ID(profile.source_session_id)

    @strawberry.field(
        description="The item set. A published work shows what was published; a draft its "
        "current draft with the cut images bound so far."
    )
    async def items(self) -> list[Match3dItem]:
        stored = (await self._profile()).config.items
        images: dict[str, str | None]
        if self.publication_status is WorkPublicationStatus.PUBLISHED:
            images = {item.item_id: item.cut_image_asset_id for item in stored}
        else:
            bound = await match3d_loaders(self.loaders).images.load(str(self.work_id))
            images = {item_id: asset.asset_object_id for item_id, asset in bound.items.items()}
        return [
            Match3dItem(
                item_id=strawberry.ID(item.item_id),
                name=item.name,
                count=item.count,
                size=item.size,
                model_src=item.model_src,
                model_object_key=item.model_object_key,
                cut_image_asset_id=strawberry.ID(image)
                if (image := images.get(item.item_id))
                else None,
                cut_image_url=signed_url(image),
            )
            for item in stored
        ]

    @strawberry.field(description="Layers of the pile, 1 to 4.")
    async def layers(self) -> int:
        return (await self._profile()).config.layers

    @strawberry.field(description="Difficulty, 1 to 5.")
    async def difficulty(self) -> int:
        return (await self._profile()).difficulty

    @strawberry.field(description="Triples a player clears to win (every triple on the board).")
    async def clear_count(self) -> int:
        return (await self._profile()).clear_count

    @strawberry.field(description="A run's time limit in seconds (null: the server's default).")
    async def time_limit_seconds(self) -> int | None:
        return (await self._profile()).config.time_limit_seconds

    @strawberry.field(
        description="The generated item assets (cut images and 3D model references, as the "
        "item-asset pipeline stored them; kept by every autosave, update and publication). "
        "Its author only; null for others."
    )
    async def generated_item_assets(self) -> JSON | None:
        if not self._is_owner:
            return None
        return JSON((await self._profile()).generated_item_assets_json)

    async def _blockers(self) -> list[Blocker]:
        profile = await self._profile()
        if not profile.source_session_id:
            return []
        loaders = match3d_loaders(self.loaders)
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
    async def publish_blockers(self) -> list[Match3dBlocker]:
        if not self._is_owner:
            return []
        return [Match3dBlocker.from_blocker(blocker) for blocker in await self._blockers()]

    @strawberry.field(description="When the work was created (its session's start).")
    async def created_at(self) -> datetime:
        return (await self._profile()).created_at

    @strawberry.field(description="Its last change.")
    async def updated_at(self) -> datetime:
        return (await self._profile()).updated_at


async def build_works(rows: Sequence[Match3dWorkRow], loaders: GalleryLoaders) -> list[Match3dWork]:
    """`Match3dWork`s from profile rows the viewer may see: two statements for any number
    (the gallery's counts of published ones, the bound images of drafts)."""
    scoped = match3d_loaders(loaders)
    for row in rows:
        scoped.works.prime(row.profile_id, row)
    published = [row for row in rows if row.publication_status is WorkPublicationStatus.PUBLISHED]
    listed = await loaders.works.load_many(
        [entry_key(PlayType.MATCH3D, row.profile_id) for row in published]
    )
    counts = {row.profile_id: found for row, found in zip(published, listed, strict=True)}
    drafted = [row for row in rows if row.profile_id not in counts]
    bound = await scoped.images.load_many([row.profile_id for row in drafted])
    covers = {
        row.profile_id: images.cover.asset_object_id if images.cover else None
        for row, images in zip(drafted, bound, strict=True)
    }
    built: list[Match3dWork] = []
    for row in rows:
        # The gallery's entry (its counts) of a published work; drafts have none.
        gallery_row = counts.get(row.profile_id)
        cover = row.cover_asset_id if row.profile_id in counts else covers.get(row.profile_id)
        built.append(
            Match3dWork(
                **Work.work_fields(
                    play_type=PlayType.MATCH3D,
                    work_id=row.profile_id,
                    owner_user_id=row.owner_user_id,
                    title=row.game_name,
                    summary=row.summary_text,
                    cover_url=signed_url(cover),
                    theme=row.theme_text or None,
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


@strawberry.type(name="Match3dError", description="Why a Match3D mutation did nothing.")
class Match3dErrorType:
    code: Match3dErrorCode = strawberry.field(description="Machine-readable reason.")
    field: str | None = strawberry.field(description="The input field at fault, if any.")
    message: str = strawberry.field(description="Human-readable explanation.")
