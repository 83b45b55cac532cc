"""The Match3D publish gate: what keeps a work from being published, with codes.

A Match3D work needs a title, a cover, at least four items (fewer can never fill the
tray), every item named with a cut image, and a clear count that matches the board
(clearing everything wins). Images are asset bindings of the work entity `match3d_work`
(its id): slot `cover`, and slot `item:<itemId>` for each item's cut image, so reordering
or renaming items never moves an image to another item. A bound object must be an image
anyone may read (PUBLIC_READ): the published work shows it to everyone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from resolvers.assets.bound import bound_assets
from resolvers.assets.rows import BindingTarget, BoundAsset
from resolvers.match3d.drafts import Match3dDraft
from resolvers.match3d.model import (
    COVER_SLOT,
    ITEM_SLOT_PREFIX,
    MIN_ITEM_KINDS,
    WORK_ENTITY,
    Match3dBlockerCode,
)
from resolvers.play_types.gates import Blocker, ImageCodes, public_image_blockers


@dataclass(slots=True)
class WorkImages:
    """The objects bound to a work's cover and its items' cut images (asset rows)."""

    cover: BoundAsset | None = None
    items: dict[str, BoundAsset] = field(default_factory=dict)


async def bound_images(work_ids: Sequence[str]) -> dict[str, WorkImages]:
    """Bound covers and item images of works, one statement for any number."""
    found = {work_id: WorkImages() for work_id in work_ids}
    for asset in await bound_assets([BindingTarget(WORK_ENTITY, work_ids)]):
        images = found[asset.entity_id]
        if asset.slot == COVER_SLOT:
            images.cover = asset
        elif asset.slot.startswith(ITEM_SLOT_PREFIX):
            images.items[asset.slot.removeprefix(ITEM_SLOT_PREFIX)] = asset
    return found


IMAGE_CODES = ImageCodes(
    not_an_image=Match3dBlockerCode.IMAGE_NOT_AN_IMAGE,
    not_public=Match3dBlockerCode.IMAGE_NOT_PUBLIC,
)


def blockers(draft: Match3dDraft, images: WorkImages) -> list[Blocker]:
    """Every reason the draft cannot be published with these images (empty: ready)."""
    found: list[Blocker] = []
    if not draft.title:
        found.append(Blocker(Match3dBlockerCode.TITLE_MISSING, "Give it a title.", field="title"))
    if images.cover is None:
        found.append(
            Blocker(Match3dBlockerCode.COVER_MISSING, "Bind a cover image.", field="cover")
        )
    else:
        found += public_image_blockers(images.cover, codes=IMAGE_CODES, what="cover", field="cover")
    if len(draft.items) < MIN_ITEM_KINDS:
        found.append(
            Blocker(
                Match3dBlockerCode.TOO_FEW_ITEMS,
                f"Add at least {MIN_ITEM_KINDS} items.",
                field="items",
            )
        )
    for position, item in enumerate(draft.items):
        where, label = f"items.{position}", f"item {position + 1}"
        if not item.name:
            found.append(
                Blocker(
                    Match3dBlockerCode.ITEM_NAME_MISSING,
                    f"Name {label}.",
                    field=f"{where}.name",
                    part_id=item.item_id,
                )
            )
        image = images.items.get(item.item_id)
        if image is None:
            found.append(
                Blocker(
                    Match3dBlockerCode.ITEM_IMAGE_MISSING,
                    f"Generate or bind the cut image of {label}.",
                    field=f"{where}.image",
                    part_id=item.item_id,
                )
            )
        else:
            found += public_image_blockers(
                image,
                codes=IMAGE_CODES,
                what=f"cut image of {label}",
                field=f"{where}.image",
                part_id=item.item_id,
            )
    if draft.clear_count is not None and draft.clear_count != draft.board_triples:
        found.append(
            Blocker(
                Match3dBlockerCode.CLEAR_COUNT_MISMATCH,
                f"The board holds {draft.board_triples} triples: set the clear count to it "
                "(or leave it empty).",
                field="clearCount",
            )
        )
    return found
