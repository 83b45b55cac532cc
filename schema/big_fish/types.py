"""Big fish on the graph: `BigFishWork` (a `Work`), `BigFishSession` (the session that
is the work), its asset slots and gate blockers, and the error type."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from resolvers.assets.objects import read_path, read_url
from resolvers.big_fish import sessions
from resolvers.big_fish.errors import BigFishErrorCode
from resolvers.big_fish.model import (
    BigFishAssetKind,
    BigFishAssetStatus,
    BigFishBlockerCode,
    BigFishCreationStage,
)
from resolvers.big_fish.rows import BigFishAssetSlotRow, BigFishWorkRow
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.gallery.play_types import PlayType
from resolvers.play_types.gates import Blocker
from schema.context import Info
from schema.gallery.loaders import GalleryLoaders
from schema.gallery.work import Work

strawberry.enum(BigFishCreationStage, description="COLLECTING_ANCHORS, DRAFT_READY, PUBLISHED.")
strawberry.enum(BigFishAssetKind, description="BACKGROUND, FISH (one per level), MOTION.")
strawberry.enum(
    BigFishAssetStatus,
    description="MISSING: not asked; PENDING: generating; READY: bound; FAILED.",
)
strawberry.enum(BigFishBlockerCode, description="Why a big-fish work cannot be published yet.")
strawberry.enum(BigFishErrorCode, description="Why a big-fish mutation did nothing.")

ASSET_PATH = read_path("")


def signed_src(src: str | None) -> str | None:
    """Stored sources are asset paths (`/assets/objects/<id>`): sign them."""
    if src is not None and src.startswith(ASSET_PATH):
        return read_url(src.removeprefix(ASSET_PATH)).url
    return src


@strawberry.type(name="BigFishError", description="Why a big-fish mutation did nothing.")
class BigFishErrorType:
    code: BigFishErrorCode = strawberry.field(description="Machine-readable reason.")
    field: str | None = strawberry.field(description="The input field at fault, if any.")
    message: str = strawberry.field(description="Human-readable explanation.")


@strawberry.type(description="One thing keeping a big-fish work from being published.")
class BigFishBlocker:
    code: BigFishBlockerCode = strawberry.field(description="Machine-readable reason.")
    field: str | None = strawberry.field(
        description="The part at fault: `title`, `cover`, `levels`, `growthThresholds`, "
        "`playerLevel`, `winSize`, `assets`."
    )
    part_id: str | None = strawberry.field(
        description="For `assets`: the slot (`background`, `fish:<levelId>`, `motion:<key>`)."
    )
    message: str = strawberry.field(description="Human-readable explanation.")

    @classmethod
    def from_blocker(cls, blocker: Blocker) -> BigFishBlocker:
        return cls(
            code=BigFishBlockerCode(blocker.code),
            field=blocker.field,
            part_id=blocker.part_id,
            message=blocker.message,
        )


@strawberry.type(description="A sprite of a big-fish work and its generation status.")
class BigFishAssetSlot:
    slot_id: strawberry.ID = strawberry.field(description="The slot row's id.")
    slot: str = strawberry.field(
        description="The image slot of entity `big_fish_work`: `background`, "
        "`fish:<levelId>`, `motion:swim`, `motion:eat`."
    )
    asset_kind: BigFishAssetKind = strawberry.field(description="What the sprite shows.")
    level: int | None = strawberry.field(description="A fish sprite's level (0-based).")
    motion_key: str | None = strawberry.field(description="A motion sprite's motion.")
    status: BigFishAssetStatus = strawberry.field(description="Where its image stands.")
    asset_url: str | None = strawberry.field(description="Signed URL of the image when READY.")
    prompt_snapshot: str = strawberry.field(description="The prompt it is generated from.")
    updated_at: datetime = strawberry.field(description="Its last change.")

    @classmethod
    def from_row(cls, row: BigFishAssetSlotRow) -> BigFishAssetSlot:
        return cls(
            slot_id=strawberry.ID(row.slot_id),
            slot=row.slot_key,
            asset_kind=row.asset_kind,
            level=row.level,
            motion_key=row.motion_key,
            status=row.status,
            asset_url=signed_src(row.asset_url),
            prompt_snapshot=row.prompt_snapshot,
            updated_at=row.updated_at,
        )


@strawberry.type(
    description="A big-fish creation session, which is also its work: seed, stage, anchor "
    "pack, the typed draft, asset coverage and the last gate result. Its owner's alone."
)
class BigFishSession:
    session_id: strawberry.ID = strawberry.field(description="The session id (= the work id).")
    seed_text: str = strawberry.field(description="The seed idea.")
    stage: BigFishCreationStage = strawberry.field(description="Where the creation stands.")
    progress_percent: int = strawberry.field(description="0 to 100.")
    current_turn: int = strawberry.field(description="Agent turns so far.")
    anchor_pack: JSON = strawberry.field(description="The anchors the agent settled.")
    draft: JSON | None = strawberry.field(
        description="The draft: title, description, theme, tags, levels [{levelId, name, "
        "size, speed, count}], growthThresholds, playerLevel, playerSpeed, winSize."
    )
    asset_coverage: JSON = strawberry.field(
        description="{required, ready, missing: [slot], cover: bool} at the last refresh."
    )
    last_assistant_reply: str | None = strawberry.field(description="The agent's last reply.")
    publish_ready: bool = strawberry.field(description="The last gate evaluation's verdict.")
    publication_status: WorkPublicationStatus = strawberry.field(description="DRAFT/PUBLISHED.")
    public_work_code: str | None = strawberry.field(
        description="`BF` and 10 characters, from the first publication."
    )
    play_count: int = strawberry.field(description="PLAY runs started on the published work.")
    created_at: datetime = strawberry.field(description="The form entry.")
    updated_at: datetime = strawberry.field(description="Its last change.")
    slots: list[BigFishAssetSlot] = strawberry.field(
        description="Its sprite slots, by slot name (as of the last refresh)."
    )

    @classmethod
    def from_row(cls, row: BigFishWorkRow, slots: list[BigFishAssetSlotRow]) -> BigFishSession:
        return cls(
            session_id=strawberry.ID(row.session_id),
            seed_text=row.seed_text,
            stage=row.stage,
            progress_percent=row.progress_percent,
            current_turn=row.current_turn,
            anchor_pack=JSON(row.anchor_pack_json or {}),
            draft=row.draft_json,
            asset_coverage=JSON(row.asset_coverage_json or {}),
            last_assistant_reply=row.last_assistant_reply,
            publish_ready=row.publish_ready,
            publication_status=row.publication_status,
            public_work_code=row.public_work_code,
            play_count=row.play_count,
            created_at=row.created_at,
            updated_at=row.updated_at,
            slots=[BigFishAssetSlot.from_row(slot) for slot in slots],
        )


@strawberry.type(
    description="A big-fish work: a draft (its author's alone) or published (anyone's). "
    "The player's fish eats fish of its level or below, grows through the levels and "
    "wins at the win size; touching a bigger fish loses."
)
class BigFishWork(Work):
    @classmethod
    def gallery_cover(cls, src: str | None) -> str | None:
        return signed_src(src)

    @classmethod
    def from_session(cls, row: BigFishWorkRow, loaders: GalleryLoaders) -> BigFishWork:
        return cls(
            **Work.work_fields(
                play_type=PlayType.BIG_FISH,
                work_id=row.session_id,
                owner_user_id=row.owner_user_id,
                title=row.title,
                summary=row.summary,
                cover_url=signed_src(row.cover_image_src),
                theme=row.theme,
                tags=row.tags,
                publication_status=row.publication_status,
                play_count=row.play_count,
                like_count=0,
                published_at=row.published_at,
                loaders=loaders,
            )
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[BigFishWork | None]:
        """Published works as the gallery shows them (its read model), drafts for their
        owner (from their sessions)."""
        ids = list(node_ids)
        published = await super().resolve_nodes(info=info, node_ids=ids)
        rows = await sessions.sessions_by_id(ids)
        viewer = info.context.principal.user_id
        loaders = GalleryLoaders(viewer_user_id=viewer)
        found: list[BigFishWork | None] = []
        for work_id, listed in zip(ids, published, strict=True):
            row = rows.get(work_id)
            if isinstance(listed, BigFishWork):
                found.append(listed)
            elif row is not None and row.visible_to(viewer):
                found.append(cls.from_session(row, loaders))
            else:
                found.append(None)
        return found
