"""Asset slots: what sprites a draft needs, what is bound, and `big_fish_asset_slot`.

A draft needs a background (`background`), one sprite per level (`fish:<levelId>`) and
one per motion of the player's fish (`motion:swim`, `motion:eat`), all bound to entity
`big_fish_work` (the session id) and PUBLIC_READ, like the cover. Images come from
`imageGenerate` (resolvers/images): `request_missing` queues one generation per slot
that has no image; a slot with a bound image is READY with its URL (the object's read
path), else the latest generation for it decides: queued or running PENDING, failed or
cancelled FAILED, none MISSING. `refresh` writes the rows and the session's coverage from
the bindings and the generations (a constant number of statements); it runs whenever the
gate does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from resolvers.ai_tasks.model import AiTaskKind, AiTaskStatus
from resolvers.ai_tasks.sources import tasks_from_source
from resolvers.assets.bound import bound_assets
from resolvers.assets.objects import read_path
from resolvers.assets.rows import BindingTarget, BoundAsset
from resolvers.big_fish.drafts import BigFishDraft
from resolvers.big_fish.model import (
    BACKGROUND_SLOT,
    COVER_SLOT,
    FISH_SLOT_PREFIX,
    MOTION_SLOT_PREFIX,
    MOTIONS,
    WORK_ENTITY,
    BigFishAssetKind,
    BigFishAssetStatus,
)
from resolvers.big_fish.store import assets as store
from resolvers.big_fish.store import sessions as sessions_store

SPRITE_SIZE = 256


@dataclass(frozen=True, slots=True)
class SlotSpec:
    """One sprite a draft needs: its slot key, kind, level (fish) or motion, and prompt."""

    key: str
    kind: BigFishAssetKind
    level: int | None
    motion_key: str | None
    prompt: str


def required_slots(draft: BigFishDraft) -> list[SlotSpec]:
    theme = draft.theme or "the sea"
    found = [
        SlotSpec(BACKGROUND_SLOT, BigFishAssetKind.BACKGROUND, None, None, f"Underwater {theme}")
    ]
    for index, level in enumerate(draft.levels):
        found.append(
            SlotSpec(
                f"{FISH_SLOT_PREFIX}{level.level_id}",
                BigFishAssetKind.FISH,
                index,
                None,
                f"A {level.name or level.level_id} fish sprite, level {index + 1}, {theme}",
            )
        )
    player = draft.levels[draft.player_level].name if draft.player_level < len(draft.levels) else ""
    for motion in MOTIONS:
        found.append(
            SlotSpec(
                f"{MOTION_SLOT_PREFIX}{motion}",
                BigFishAssetKind.MOTION,
                None,
                motion,
                f"The player's {player or 'fish'} fish, {motion} motion, {theme}",
            )
        )
    return found


async def bound_images(session_ids: Sequence[str]) -> dict[str, dict[str, BoundAsset]]:
    """Every object bound to a work's slots (cover included), by session and slot: one
    statement."""
    found: dict[str, dict[str, BoundAsset]] = {}
    for asset in await bound_assets([BindingTarget(WORK_ENTITY, session_ids)]):
        found.setdefault(asset.entity_id, {})[asset.slot] = asset
    return found


def coverage(draft: BigFishDraft, bound: dict[str, BoundAsset]) -> dict[str, Any]:
    """`asset_coverage_json`: how many sprites the draft needs, how many are bound, which
    are missing (the cover is counted apart)."""
    keys = [spec.key for spec in required_slots(draft)]
    missing = [key for key in keys if key not in bound]
    return {
        "required": len(keys),
        "ready": len(keys) - len(missing),
        "missing": missing,
        "cover": COVER_SLOT in bound,
    }


_GENERATING = {AiTaskStatus.PENDING.value, AiTaskStatus.RUNNING.value}
_FAILED = {AiTaskStatus.FAILED.value, AiTaskStatus.CANCELLED.value}


async def generations(*, session_id: str, owner_user_id: str) -> dict[str, str]:
    """The status of the latest image generation of each slot of a work: one statement."""
    latest: dict[str, str] = {}
    for task in await tasks_from_source(
        kind=AiTaskKind.IMAGE_GENERATION, owner_user_id=owner_user_id, source_entity_id=session_id
    ):
        payload = task.request_payload or {}
        if payload.get("entityKind") == WORK_ENTITY:
            latest[str(payload.get("slot"))] = task.status
    return latest


def slot_status(image: BoundAsset | None, generation: str | None) -> BigFishAssetStatus:
    if image is not None:
        return BigFishAssetStatus.READY
    if generation in _GENERATING:
        return BigFishAssetStatus.PENDING
    if generation in _FAILED:
        return BigFishAssetStatus.FAILED
    return BigFishAssetStatus.MISSING


async def refresh(
    *,
    session_id: str,
    owner_user_id: str,
    draft: BigFishDraft,
    bound: dict[str, BoundAsset],
    now: datetime,
) -> None:
    """Write the session's slot rows from the bindings and the generations. Inside a
    transaction."""
    existing = await store.slot_keys(session_id)
    generated = await generations(session_id=session_id, owner_user_id=owner_user_id)
    specs = required_slots(draft)
    writes: list[store.SlotWrite] = []
    for spec in specs:
        image = bound.get(spec.key)
        status = slot_status(image, generated.get(spec.key))
        object_id = image.asset_object_id if image is not None else None
        writes.append(
            store.SlotWrite(
                slot_key=spec.key,
                asset_kind=spec.kind.value,
                level=spec.level,
                motion_key=spec.motion_key,
                status=status.value,
                asset_url=read_path(object_id) if object_id is not None else None,
                prompt_snapshot=spec.prompt,
                asset_object_id=object_id,
            )
        )
    await store.upsert_slots(session_id=session_id, writes=writes, now=now)
    stale = [key for key in existing if key not in {spec.key for spec in specs}]
    if stale:
        await store.delete_slots(session_id=session_id, slot_keys=stale)
    await sessions_store.set_asset_coverage(session_id=session_id, coverage=coverage(draft, bound))


slots_of = store.slots_of
