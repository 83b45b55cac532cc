"""The puzzle publish gate: what keeps a work from being published, with codes.

A puzzle needs a title, a cover, and at least one level; every level needs a name, a grid
size from 3 to 8 and an image. Images are asset bindings (the assets flow:
upload → confirm → `assetObjectBind`): slot `cover` of entity `puzzle_work` (the work id)
and slot `image` of entity `puzzle_level` (`{work_id}.{level_id}`). A bound object must be
an image anyone may read (PUBLIC_READ), since the published work shows it to everyone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from resolvers.assets.bound import bound_assets
from resolvers.assets.rows import BindingTarget, BoundAsset
from resolvers.play_types.gates import Blocker, ImageCodes, public_image_blockers
from resolvers.puzzle.drafts import PuzzleDraft
from resolvers.puzzle.model import (
    COVER_SLOT,
    IMAGE_SLOT,
    LEVEL_ENTITY,
    MAX_GRID_SIZE,
    MIN_GRID_SIZE,
    WORK_ENTITY,
    PuzzleBlockerCode,
    level_entity_id,
)


@dataclass(slots=True)
class WorkImages:
    """The objects bound to a work's cover and its levels' images (asset rows)."""

    cover: BoundAsset | None = None
    levels: dict[str, BoundAsset] = field(default_factory=dict)


async def bound_images(level_ids: Mapping[str, Sequence[str]]) -> dict[str, WorkImages]:
    """Bound cover and level images of works (`{work_id: [level ids]}`), one statement."""
    found = {work_id: WorkImages() for work_id in level_ids}
    level_entities = {
        level_entity_id(work_id, level_id): (work_id, level_id)
        for work_id, levels in level_ids.items()
        for level_id in levels
    }
    targets = [
        BindingTarget(WORK_ENTITY, list(level_ids), COVER_SLOT),
        BindingTarget(LEVEL_ENTITY, list(level_entities), IMAGE_SLOT),
    ]
    for asset in await bound_assets(targets):
        if asset.entity_kind == WORK_ENTITY:
            found[asset.entity_id].cover = asset
        elif asset.entity_id in level_entities:
            work_id, level_id = level_entities[asset.entity_id]
            found[work_id].levels[level_id] = asset
    return found


IMAGE_CODES = ImageCodes(
    not_an_image=PuzzleBlockerCode.IMAGE_NOT_AN_IMAGE, not_public=PuzzleBlockerCode.IMAGE_NOT_PUBLIC
)


def blockers(draft: PuzzleDraft, images: WorkImages) -> list[Blocker]:
    """Every reason the draft cannot be published with these images (empty: ready)."""
    found: list[Blocker] = []
    if not draft.title:
        found.append(Blocker(PuzzleBlockerCode.TITLE_MISSING, "Give it a title.", field="title"))
    if images.cover is None:
        found.append(Blocker(PuzzleBlockerCode.COVER_MISSING, "Bind a cover image.", field="cover"))
    else:
        found += public_image_blockers(images.cover, codes=IMAGE_CODES, what="cover", field="cover")
    if not draft.levels:
        found.append(
            Blocker(PuzzleBlockerCode.NO_LEVELS, "Add at least one level.", field="levels")
        )
    for position, level in enumerate(draft.levels):
        where = f"levels.{position}"
        label = f"level {position + 1}"
        if not level.name:
            found.append(
                Blocker(
                    PuzzleBlockerCode.LEVEL_NAME_MISSING,
                    f"Name {label}.",
                    field=f"{where}.name",
                    part_id=level.level_id,
                )
            )
        if level.grid_size is None or not MIN_GRID_SIZE <= level.grid_size <= MAX_GRID_SIZE:
            found.append(
                Blocker(
                    PuzzleBlockerCode.GRID_SIZE_INVALID,
                    f"Choose a grid size from {MIN_GRID_SIZE} to {MAX_GRID_SIZE} for {label}.",
                    field=f"{where}.gridSize",
                    part_id=level.level_id,
                )
            )
        image = images.levels.get(level.level_id)
        if image is None:
            found.append(
                Blocker(
                    PuzzleBlockerCode.LEVEL_IMAGE_MISSING,
                    f"Bind an image to {label}.",
                    field=f"{where}.image",
                    part_id=level.level_id,
                )
            )
        else:
            found += public_image_blockers(
                image,
                codes=IMAGE_CODES,
                what=f"image of {label}",
                field=f"{where}.image",
                part_id=level.level_id,
            )
    return found
