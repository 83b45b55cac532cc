"""Puzzles on the graph: `PuzzleWork` (a `Work`), `PuzzleSession` (a `CreationSession`),
their drafts, levels, publish blockers and events.

Every object of a list is built from rows already loaded; what a field needs beyond its
row (bound images, the session's draft, the gallery's counts) comes through the
operation's loaders (`GalleryLoaders`, with `PuzzleLoaders` scoped inside), one statement
per kind of data for the whole list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from resolvers.assets.objects import read_path, read_url
from resolvers.gallery.model import WorkPublicationStatus, entry_key
from resolvers.gallery.play_types import PlayType
from resolvers.play_types.gates import Blocker
from resolvers.puzzle import drafts, works
from resolvers.puzzle.errors import PuzzleErrorCode
from resolvers.puzzle.gate import WorkImages, blockers
from resolvers.puzzle.model import (
    PuzzleBlockerCode,
    PuzzleEventKind,
    PuzzleStage,
)
from resolvers.puzzle.rows import PuzzleEventRow, PuzzleSessionRow, PuzzleWorkRow
from schema.context import Info
from schema.creation.types import CreationSession
from schema.gallery.loaders import GalleryLoaders
from schema.gallery.work import Work
from schema.puzzle.loaders import PuzzleLoaders

strawberry.enum(
    PuzzleStage,
    description="COLLECTING_ANCHORS until the draft has levels (form autosave keeps it), "
    "DRAFT_READY once it has, PUBLISHED while its work is published.",
)
strawberry.enum(PuzzleEventKind, description="What a puzzle event records about a work.")
strawberry.enum(
    PuzzleBlockerCode,
    description="Why a puzzle cannot be published yet: TITLE_MISSING, COVER_MISSING, "
    "NO_LEVELS, LEVEL_NAME_MISSING, LEVEL_IMAGE_MISSING, GRID_SIZE_INVALID (not 3 to 8), "
    "IMAGE_NOT_PUBLIC (bind a PUBLIC_READ object), IMAGE_NOT_AN_IMAGE.",
)
strawberry.enum(PuzzleErrorCode, description="Why a puzzle mutation was refused.")

ASSET_PATH = read_path("")


def signed_url(asset_object_id: str | None) -> str | None:
    """A fresh signed read URL of an object (call only for objects the viewer may read)."""
    if not asset_object_id:
        return None
    return read_url(asset_object_id).url


def signed_src(src: str | None) -> str | None:
    """Stored image sources are asset paths (`/assets/objects/<id>`): sign them."""
    if src is not None and src.startswith(ASSET_PATH):
        return signed_url(src.removeprefix(ASSET_PATH))
    return src


def gallery_loaders(info: Info) -> GalleryLoaders:
    return GalleryLoaders(viewer_user_id=info.context.principal.user_id)


def puzzle_loaders(loaders: GalleryLoaders) -> PuzzleLoaders:
    return loaders.scoped("puzzle", PuzzleLoaders)


@strawberry.type(name="PuzzleLevelDraft", description="One level of a puzzle draft.")
class PuzzleLevelDraftType:
    level_id: strawberry.ID = strawberry.field(
        description="Stable id of the level; its image is bound to the asset entity "
        "`puzzle_level` with id `<workId>.<levelId>`, slot `image`."
    )
    name: str = strawberry.field(description="Name, up to 60 characters (empty: not named).")
    grid_size: int | None = strawberry.field(
        description="Pieces per side, 3 to 8; null until chosen."
    )


@strawberry.type(
    name="PuzzleDraft",
    description="The typed draft of a puzzle (validated on every write).",
)
class PuzzleDraftType:
    title: str = strawberry.field(description="Title, up to 80 characters.")
    description: str = strawberry.field(description="Description, up to 1000 characters.")
    theme: str = strawberry.field(description="Theme, up to 32 characters.")
    tags: list[str] = strawberry.field(description="Up to 8 tags of up to 24 characters.")
    levels: list[PuzzleLevelDraftType] = strawberry.field(
        description="The levels in play order, at most 12."
    )

    @classmethod
    def from_draft(cls, draft: drafts.PuzzleDraft) -> PuzzleDraftType:
        return cls(
            title=draft.title,
            description=draft.description,
            theme=draft.theme,
            tags=list(draft.tags),
            levels=[
                PuzzleLevelDraftType(
                    level_id=strawberry.ID(level.level_id),
                    name=level.name,
                    grid_size=level.grid_size,
                )
                for level in draft.levels
            ],
        )


@strawberry.type(description="Something that keeps a puzzle from being published.")
class PuzzleBlocker:
    code: PuzzleBlockerCode = strawberry.field(description="Machine-readable reason.")
    field: str | None = strawberry.field(
        description="The part at fault: `title`, `cover`, `levels`, `levels.<i>.name`, "
        "`levels.<i>.gridSize`, `levels.<i>.image` (i from 0)."
    )
    level_id: strawberry.ID | None = strawberry.field(description="The level concerned, if any.")
    message: str = strawberry.field(description="Human-readable explanation.")

    @classmethod
    def from_blocker(cls, blocker: Blocker) -> PuzzleBlocker:
        return cls(
            code=PuzzleBlockerCode(blocker.code),
            field=blocker.field,
            level_id=strawberry.ID(blocker.part_id) if blocker.part_id else None,
            message=blocker.message,
        )


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


@strawberry.type(
    description="One puzzle event of the viewer's works (PUBLISHED, UPDATED, UNPUBLISHED), "
    "numbered in the viewer's puzzle stream."
)
class PuzzleEvent:
    event_id: strawberry.ID = strawberry.field(description="The event's id.")
    sequence: int = strawberry.field(
        description="Position in the stream: 1, 2, … with no gaps; resume `after` it."
    )
    kind: PuzzleEventKind = strawberry.field(description="What happened.")
    work_id: strawberry.ID = strawberry.field(description="The work concerned.")
    session_id: strawberry.ID | None = strawberry.field(description="Its creation session.")
    occurred_at: datetime = strawberry.field(description="When it was committed.")
    loaders: strawberry.Private[GalleryLoaders]

    @classmethod
    def from_row(cls, row: PuzzleEventRow, sequence: int, loaders: GalleryLoaders) -> PuzzleEvent:
        return cls(
            event_id=strawberry.ID(row.event_id),
            sequence=sequence,
            kind=row.event_kind,
            work_id=strawberry.ID(row.work_id),
            session_id=strawberry.ID(row.session_id) if row.session_id else None,
            occurred_at=row.occurred_at,
            loaders=loaders,
        )

    @strawberry.field(description="The work as it is now (read when the event is delivered).")
    async def work(self) -> PuzzleWork | None:
        row = await puzzle_loaders(self.loaders).works.load(str(self.work_id))
        if row is None or not row.visible_to(self.loaders.viewer_user_id):
            return None
        return (await build_works([row], self.loaders))[0]


@strawberry.type(name="PuzzleError", description="Why a puzzle mutation did nothing.")
class PuzzleErrorType:
    code: PuzzleErrorCode = strawberry.field(description="Machine-readable reason.")
    field: str | None = strawberry.field(description="The input field at fault, if any.")
    message: str = strawberry.field(description="Human-readable explanation.")
