"""Square hole on the graph: `SquareHoleWork` (a `Work`) and `SquareHoleSession` (a
`CreationSession`).

Every object of a list is built from rows already loaded; what a field needs beyond its
row (the bound cover, the session's draft, the gallery's counts) comes through the
operation's loaders (`GalleryLoaders`, with `SquareHoleLoaders` scoped inside), one
statement per kind of data for the whole list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

import strawberry
from strawberry.dataloader import DataLoader

from resolvers.assets.objects import read_path
from resolvers.gallery.model import WorkPublicationStatus, entry_key
from resolvers.gallery.play_types import PlayType
from resolvers.play_types.gates import Blocker
from resolvers.square_hole import drafts, works
from resolvers.square_hole.model import SquareHoleStage
from resolvers.square_hole.rows import SquareHoleSessionRow, SquareHoleWorkRow
from schema.assets.signed import signed_url
from schema.context import Info
from schema.creation.types import CreationSession
from schema.gallery.loaders import GalleryLoaders, gallery_loaders
from schema.gallery.work import Work
from schema.square_hole.config import (
    SquareHoleBlocker,
    SquareHoleConfig,
    SquareHoleDraftType,
)
from schema.square_hole.loaders import SquareHoleLoaders

ASSET_PATH = read_path("")


def signed_src(src: str | None) -> str | None:
    """Stored cover sources are asset paths (`/assets/objects/<id>`): sign them."""
    if src is not None and src.startswith(ASSET_PATH):
        return signed_url(src.removeprefix(ASSET_PATH))
    return src


def square_hole_loaders(loaders: GalleryLoaders) -> SquareHoleLoaders:
    return loaders.scoped("square_hole", SquareHoleLoaders)


@strawberry.type(
    description="A square-hole work: a draft (its author's alone, no cover until one is "
    "bound) or published (anyone's). Shapes arrive one by one and the player drops each "
    "into a hole; the work's rules (data, with a twist) decide what fits and scores."
)
class SquareHoleWork(Work):
    profile_row: strawberry.Private[SquareHoleWorkRow | None] = None

    @classmethod
    def gallery_cover(cls, src: str | None) -> str | None:
        return signed_src(src)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[SquareHoleWork | None]:
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
    def _loaders(self) -> SquareHoleLoaders:
        return square_hole_loaders(self.loaders)

    @property
    def _is_owner(self) -> bool:
        return self.loaders.viewer_user_id == self.owner_user_id

    async def _profile(self) -> SquareHoleWorkRow | None:
        if self.profile_row is not None:
            return self.profile_row
        return await self._loaders.works.load(str(self.work_id))

    @strawberry.field(
        description="Public work code (`SH` and 10 characters), from the first publication."
    )
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
        description="The twist in words. A published work shows what was published; a "
        "draft its current draft."
    )
    async def twist_rule(self) -> str:
        profile = await self._profile()
        return profile.twist_rule if profile else ""

    @strawberry.field(description="Shapes a run deals (0 until chosen).")
    async def shape_count(self) -> int:
        profile = await self._profile()
        return profile.shape_count if profile else 0

    @strawberry.field(description="Difficulty, 1 to 5 (0 until chosen).")
    async def difficulty(self) -> int:
        profile = await self._profile()
        return profile.difficulty if profile else 0

    @strawberry.field(description="The game as data: shapes, holes, rules, target score.")
    async def config(self) -> SquareHoleConfig:
        profile = await self._profile()
        return SquareHoleConfig.from_config(
            profile.config if profile else drafts.SquareHoleConfig()
        )

    async def _blockers(self) -> list[Blocker]:
        profile = await self._profile()
        if profile is None or not profile.source_session_id:
            return []
        found: list[Blocker] = await self._loaders.gates.load(
            (str(self.work_id), profile.source_session_id)
        )
        return found

    @strawberry.field(
        description="Whether the session's current draft with the cover bound now passes "
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
    async def publish_blockers(self) -> list[SquareHoleBlocker]:
        if not self._is_owner:
            return []
        return [SquareHoleBlocker.from_blocker(blocker) for blocker in await self._blockers()]

    @strawberry.field(description="When the work was created (its session's form entry).")
    async def created_at(self) -> datetime | None:
        profile = await self._profile()
        return profile.created_at if profile else None

    @strawberry.field(description="Its last change.")
    async def updated_at(self) -> datetime | None:
        profile = await self._profile()
        return profile.updated_at if profile else None


async def build_works(
    rows: Sequence[SquareHoleWorkRow], loaders: GalleryLoaders
) -> list[SquareHoleWork]:
    """`SquareHoleWork`s from profile rows the viewer may see: two statements for any
    number (the gallery's counts of published ones, the bound covers of drafts)."""
    own = square_hole_loaders(loaders)
    for row in rows:
        own.works.prime(row.profile_id, row)
    published = [row for row in rows if row.publication_status is WorkPublicationStatus.PUBLISHED]
    listed = await loaders.works.load_many(
        [entry_key(PlayType.SQUARE_HOLE, row.profile_id) for row in published]
    )
    counts = {row.profile_id: found for row, found in zip(published, listed, strict=True)}
    drafted = [row.profile_id for row in rows if row.profile_id not in counts]
    bound = dict(zip(drafted, await own.covers.load_many(drafted), strict=True))
    built: list[SquareHoleWork] = []
    for row in rows:
        # The gallery's entry (its counts) of a published work; drafts have none.
        gallery_row = counts.get(row.profile_id)
        cover = row.cover_asset_id if row.profile_id in counts else None
        if row.profile_id in bound:
            bound_cover = bound[row.profile_id]
            cover = bound_cover.asset_object_id if bound_cover is not None else None
        built.append(
            SquareHoleWork(
                **Work.work_fields(
                    play_type=PlayType.SQUARE_HOLE,
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


@strawberry.type(
    description="A square-hole creation session: the form and the conversation with the "
    "creation agent. Only its owner sees it."
)
class SquareHoleSession(CreationSession):
    square_hole_stage: SquareHoleStage = strawberry.field(description="The stage, as an enum.")
    square_hole_draft: SquareHoleDraftType = strawberry.field(
        description="The typed draft (empty until the form or the agent fills it)."
    )
    config: SquareHoleConfig = strawberry.field(
        description="The session's game data (`config_json`: the draft's config as saved)."
    )
    published_work_id: strawberry.ID | None = strawberry.field(
        description="The work once it has been published (`published_profile_id`)."
    )
    gallery_loaders: strawberry.Private[GalleryLoaders]

    @classmethod
    def from_row(cls, row: SquareHoleSessionRow, loaders: GalleryLoaders) -> SquareHoleSession:
        published = row.published_profile_id
        return cls(
            **CreationSession.session_fields(
                play_type=PlayType.SQUARE_HOLE,
                row=row.shared,
                draft=row.draft_json,
                loaders=square_hole_loaders(loaders).creation,
            ),
            square_hole_stage=row.stage,
            square_hole_draft=SquareHoleDraftType.from_draft(drafts.stored_draft(row.draft_json)),
            config=SquareHoleConfig.from_config(row.config),
            published_work_id=strawberry.ID(published) if published else None,
            gallery_loaders=loaders,
        )

    @strawberry.field(
        description="Its work: the draft card (no cover at first) or the published work."
    )
    async def work(self) -> SquareHoleWork | None:
        found: SquareHoleWork | None = await session_works(self.gallery_loaders).load(
            str(self.session_id)
        )
        return found


def session_works(loaders: GalleryLoaders) -> DataLoader[str, SquareHoleWork | None]:
    """The works of sessions, built together for a whole list (so what their fields load
    next is one batch too)."""

    async def load(session_ids: list[str]) -> list[SquareHoleWork | None]:
        rows = await square_hole_loaders(loaders).works_by_session.load_many(session_ids)
        built = iter(await build_works([row for row in rows if row is not None], loaders))
        return [next(built) if row is not None else None for row in rows]

    return loaders.scoped(
        "square_hole_session_works", lambda: DataLoader[str, SquareHoleWork | None](load_fn=load)
    )
