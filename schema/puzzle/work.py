"""`PuzzleWork` (a `Work`) and its levels, and `build_works`, which builds a list of them.

Every work of a list is built from rows already loaded; what a field needs beyond its row
(bound images, the session's draft, the gallery's counts) comes through the operation's
loaders (`GalleryLoaders`, with `PuzzleLoaders` scoped inside), one statement per kind of
data for the whole list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

import strawberry

from resolvers.gallery.model import WorkPublicationStatus, entry_key
from resolvers.gallery.play_types import PlayType
from resolvers.play_types.gates import Blocker
from resolvers.puzzle import drafts, works
from resolvers.puzzle.gate import WorkImages, blockers
from resolvers.puzzle.rows import PuzzleWorkRow
from schema.assets.signed import signed_url
from schema.context import Info
from schema.gallery.loaders import GalleryLoaders, gallery_loaders
from schema.gallery.work import Work
from schema.puzzle.images import signed_src
from schema.puzzle.loaders import PuzzleLoaders, puzzle_loaders
from schema.puzzle.types import PuzzleBlocker


@strawberry.type(description="One level of a puzzle work.")
class PuzzleLevel:
    level_id: strawberry.ID = strawberry.field(description="Stable id of the level.")
    name: str = strawberry.field(description="Name of the level.")
    grid_size: int | None = strawberry.field(description="Pieces per side (3 to 8).")
    image_asset_id: strawberry.ID | None = strawberry.field(
        description="The bound image object (a published work: the one published)."
    )
    image_url: str | None = strawberry.field(
        description="Signed URL of the image, valid 15 minutes; null without an image."
    )


@strawberry.type(
    description="A puzzle work: a draft (its author's alone, no cover until one is bound) "
    "or published (anyone's). Its levels each have a name, a grid size and an image."
)
class PuzzleWork(Work):
    profile_row: strawberry.Private[PuzzleWorkRow | None] = None

    @classmethod
    def gallery_cover(cls, src: str | None) -> str | None:
        return signed_src(src)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[PuzzleWork | None]:
        """Published works for anyone, drafts for their owner."""
        ids = list(node_ids)
        rows = await works.works_by_work_id(ids)
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
    def _puzzle(self) -> PuzzleLoaders:
        return puzzle_loaders(self.loaders)

    @property
    def _is_owner(self) -> bool:
        return self.loaders.viewer_user_id == self.owner_user_id

    async def _profile(self) -> PuzzleWorkRow | None:
        if self.profile_row is not None:
            return self.profile_row
        return await self._puzzle.works.load(str(self.work_id))

    @strawberry.field(description="Public work code, assigned at the first publication.")
    async def public_work_code(self) -> str | None:
        profile = await self._profile()
        return profile.public_work_code if profile else None

    @strawberry.field(
        description="The creation session behind it (its author only; null for others)."
    )
    async def session_id(self) -> strawberry.ID | None:
        profile = await self._profile()
        if profile is None or not self._is_owner or not profile.source_session_id:
            return None
        return strawberry.ID(profile.source_session_id)

    @strawberry.field(
        description="The levels in play order. A published work shows what was published; "
        "a draft shows its current draft with the images bound so far."
    )
    async def levels(self) -> list[PuzzleLevel]:
        profile = await self._profile()
        if profile is None:
            return []
        images: dict[str, str | None]
        if profile.is_published:
            images = {level.level_id: level.image_asset_id for level in profile.levels_json}
        else:
            bound = await self._puzzle.images.load((str(self.work_id), profile.level_ids()))
            images = {level_id: asset.asset_object_id for level_id, asset in bound.levels.items()}
        return [
            PuzzleLevel(
                level_id=strawberry.ID(level.level_id),
                name=level.name,
                grid_size=level.grid_size,
                image_asset_id=strawberry.ID(image)
                if (image := images.get(level.level_id))
                else None,
                image_url=signed_url(image),
            )
            for level in profile.levels_json
        ]

    async def _blockers(self) -> list[Blocker]:
        profile = await self._profile()
        if profile is None or not profile.source_session_id:
            return []
        session = await self._puzzle.sessions.load(profile.source_session_id)
        draft = drafts.stored_draft(session.draft_json if session else None)
        images: WorkImages = await self._puzzle.images.load(
            (str(self.work_id), tuple(level.level_id for level in draft.levels))
        )
        return blockers(draft, images)

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
    async def publish_blockers(self) -> list[PuzzleBlocker]:
        if not self._is_owner:
            return []
        return [PuzzleBlocker.from_blocker(blocker) for blocker in await self._blockers()]

    @strawberry.field(description="When the work was created (its session's form entry).")
    async def created_at(self) -> datetime | None:
        profile = await self._profile()
        return profile.created_at if profile else None

    @strawberry.field(description="Its last change.")
    async def updated_at(self) -> datetime | None:
        profile = await self._profile()
        return profile.updated_at if profile else None


async def build_works(rows: Sequence[PuzzleWorkRow], loaders: GalleryLoaders) -> list[PuzzleWork]:
    """`PuzzleWork`s from profile rows the viewer may see: two statements for any number
    (the gallery's counts of published ones, the bound covers of drafts)."""
    puzzle = puzzle_loaders(loaders)
    for row in rows:
        puzzle.works.prime(row.profile_id, row)
    published = [row for row in rows if row.is_published]
    listed = await loaders.works.load_many(
        [entry_key(PlayType.PUZZLE, row.profile_id) for row in published]
    )
    counts = {row.profile_id: found for row, found in zip(published, listed, strict=True)}
    drafted = [row for row in rows if row.profile_id not in counts]
    bound = await puzzle.images.load_many([(row.profile_id, row.level_ids()) for row in drafted])
    covers = {
        row.profile_id: images.cover.asset_object_id if images.cover else None
        for row, images in zip(drafted, bound, strict=True)
    }
    built: list[PuzzleWork] = []
    for row in rows:
        is_published = row.profile_id in counts
        gallery_row = counts.get(row.profile_id)
        built.append(
            PuzzleWork(
                **Work.work_fields(
                    play_type=PlayType.PUZZLE,
                    work_id=row.profile_id,
                    owner_user_id=row.owner_user_id,
                    title=row.work_title,
                    summary=row.work_description,
                    cover_url=signed_url(
                        row.cover_asset_id if is_published else covers.get(row.profile_id)
                    ),
                    theme=row.anchor_pack_json.theme or None,
                    tags=list(row.theme_tags_json),
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
