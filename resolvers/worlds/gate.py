"""The publish gate of a custom world: every blocker, each named with a code.

A world can be published when its draft has a name, all eight anchors, at least one
playable character and one place (landmark), and the world has a cover: an image bound to
slot `cover` of entity `(custom_world, <profile id>)` through the assets domain, readable by
anyone (PUBLIC_READ: the gallery shows it), like every image the public sees
(resolvers/play_types/gates.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from resolvers.assets.bound import bound_assets
from resolvers.assets.objects import AccessPolicy
from resolvers.assets.rows import BindingTarget
from resolvers.play_types.gates import Blocker, ImageCodes, public_image_blockers
from resolvers.worlds.drafts import CustomWorldDraft
from resolvers.worlds.model import (
    COVER_SLOT,
    WORLD_ENTITY_KIND,
    AgentStage,
    AnchorKey,
    BlockerCode,
)

ANCHOR_LABELS = {
    AnchorKey.PREMISE: "premise",
    AnchorKey.TONE: "tone",
    AnchorKey.SETTING: "setting",
    AnchorKey.RULES: "rules",
    AnchorKey.FACTIONS: "factions",
    AnchorKey.PLAYER_ROLE: "player role",
    AnchorKey.CONFLICT: "conflict",
    AnchorKey.STAKES: "stakes",
}


@dataclass(frozen=True, slots=True)
class Cover:
    """The asset bound as a world's cover."""

    asset_object_id: str
    content_type: str | None
    access_policy: str

    @property
    def is_image(self) -> bool:
        return bool(self.content_type and self.content_type.startswith("image/"))

    @property
    def usable(self) -> bool:
        """An image anyone may read: what the gate asks of a cover."""
        return self.is_image and self.access_policy == AccessPolicy.PUBLIC_READ.value


IMAGE_CODES = ImageCodes(
    not_an_image=BlockerCode.COVER_NOT_IMAGE, not_public=BlockerCode.COVER_NOT_PUBLIC
)


def cover_src(asset_object_id: str) -> str:
    """What `cover_image_src` stores: the object's stable read path (signed when shown)."""
    return f"/assets/objects/{asset_object_id}"


def cover_object_id(src: str | None) -> str | None:
    prefix = "/assets/objects/"
    if src and src.startswith(prefix):
        return src.removeprefix(prefix)
    return None


async def covers_of(profile_ids: list[str]) -> dict[str, Cover]:
    """The cover bound to each world (one statement)."""
    covers = await bound_assets([BindingTarget(WORLD_ENTITY_KIND, profile_ids, COVER_SLOT)])
    return {
        asset.entity_id: Cover(
            asset_object_id=asset.asset_object_id,
            content_type=asset.content_type,
            access_policy=asset.access_policy,
        )
        for asset in covers
    }


async def cover_of(profile_id: str) -> Cover | None:
    return (await covers_of([profile_id])).get(profile_id)


def evaluate(draft: CustomWorldDraft, cover: Cover | None) -> list[Blocker]:
    """Every blocker of `draft` with `cover`, in a fixed order (name, anchors, cast, cover)."""
    blockers: list[Blocker] = []
    if not draft.world_name.strip():
        blockers.append(
            Blocker(BlockerCode.WORLD_NAME_MISSING, "Name the world.", field="worldName")
        )
    for key in draft.missing_anchors():
        blockers.append(
            Blocker(
                BlockerCode.ANCHOR_MISSING,
                f"The {ANCHOR_LABELS[key]} anchor is empty.",
                field=f"anchors.{key.value}",
                part_id=key.value,
            )
        )
    if draft.playable_count() == 0:
        blockers.append(
            Blocker(
                BlockerCode.NO_PLAYABLE_CHARACTER,
                "Make at least one character playable.",
                field="characters",
            )
        )
    if not draft.places:
        blockers.append(Blocker(BlockerCode.NO_LANDMARK, "Add at least one place.", field="places"))
    if cover is None:
        blockers.append(
            Blocker(
                BlockerCode.COVER_MISSING,
                f"Bind an image to slot `{COVER_SLOT}` of entity {WORLD_ENTITY_KIND}.",
                field="cover",
            )
        )
    else:
        blockers += public_image_blockers(
            cover,
            codes=IMAGE_CODES,
            what="cover",
            field="cover",
        )
    return blockers


# Progress: one step per anchor, the name, a playable character, a place and the cover.
_STEPS = len(AnchorKey) + 4


def progress_percent(draft: CustomWorldDraft, cover: Cover | None) -> int:
    done = len(AnchorKey) - len(draft.missing_anchors())
    done += bool(draft.world_name.strip()) + bool(draft.playable_count()) + bool(draft.places)
    done += bool(cover is not None and cover.usable)
    return round(100 * done / _STEPS)


def stage_of(draft: CustomWorldDraft, blockers: list[Blocker], *, published: bool) -> AgentStage:
    if published:
        return AgentStage.PUBLISHED
    if draft.missing_anchors():
        return AgentStage.COLLECTING_ANCHORS
    return AgentStage.DRAFTING if blockers else AgentStage.READY_TO_PUBLISH


def gate_json(blockers: list[Blocker], now: datetime) -> dict[str, Any]:
    return {
        "ready": not blockers,
        "blockers": [
            {
                "code": blocker.code.value,
                "message": blocker.message,
                # ANCHOR_MISSING's part is the anchor (the stored gate's historical key).
                "anchor": blocker.part_id,
                "field": blocker.field,
            }
            for blocker in blockers
        ],
        "evaluatedAt": now.isoformat(),
    }
