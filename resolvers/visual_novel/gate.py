"""The visual-novel publish gate: what keeps a work from being published, with codes.

A visual novel needs a title, a cover, scenes, endings, every choice leading to a scene or
an ending that exists, every ending reachable from the opening scene, and an image for
every scene. Images are asset bindings of the work entity `visual_novel_work` (its id):
slot `cover`, and slot `scene:<sceneId>` per scene. A bound object must be an image anyone
may read (PUBLIC_READ): the published work shows it to everyone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from resolvers.assets.bound import bound_assets
from resolvers.assets.rows import BindingTarget, BoundAsset
from resolvers.play_types.gates import Blocker, ImageCodes, public_image_blockers
from resolvers.visual_novel.drafts import VisualNovelResultDraft
from resolvers.visual_novel.model import (
    COVER_SLOT,
    SCENE_SLOT_PREFIX,
    WORK_ENTITY,
    VisualNovelBlockerCode,
)
from resolvers.visual_novel.story import reachable_endings

Code = VisualNovelBlockerCode


@dataclass(slots=True)
class WorkImages:
    """The objects bound to a work's cover and its scenes' images (asset rows)."""

    cover: BoundAsset | None = None
    scenes: dict[str, BoundAsset] = field(default_factory=dict)


async def bound_images(work_ids: Sequence[str]) -> dict[str, WorkImages]:
    """Bound covers and scene images of works, one statement for any number."""
    found = {work_id: WorkImages() for work_id in work_ids}
    for asset in await bound_assets([BindingTarget(WORK_ENTITY, work_ids)]):
        images = found[asset.entity_id]
        if asset.slot == COVER_SLOT:
            images.cover = asset
        elif asset.slot.startswith(SCENE_SLOT_PREFIX):
            images.scenes[asset.slot.removeprefix(SCENE_SLOT_PREFIX)] = asset
    return found


IMAGE_CODES = ImageCodes(not_an_image=Code.IMAGE_NOT_AN_IMAGE, not_public=Code.IMAGE_NOT_PUBLIC)


def _story_blockers(draft: VisualNovelResultDraft) -> list[Blocker]:
    found: list[Blocker] = []
    if not draft.scenes:
        found.append(Blocker(Code.NO_SCENES, "Add at least one scene.", field="scenes"))
    elif draft.start_scene_id and draft.start_scene_id not in {s.scene_id for s in draft.scenes}:
        found.append(
            Blocker(
                Code.CHOICE_TARGET_MISSING,
                f"The opening scene {draft.start_scene_id!r} does not exist.",
                field="startSceneId",
            )
        )
    if not draft.endings:
        found.append(Blocker(Code.NO_ENDINGS, "Add at least one ending.", field="endings"))
    scene_ids = {scene.scene_id for scene in draft.scenes}
    ending_ids = {ending.ending_id for ending in draft.endings}
    for position, scene in enumerate(draft.scenes):
        for number, choice in enumerate(scene.choices):
            target_ok = (
                choice.ending_id in ending_ids
                if choice.ending_id is not None
                else choice.next_scene_id in scene_ids
            )
            if not target_ok:
                found.append(
                    Blocker(
                        Code.CHOICE_TARGET_MISSING,
                        f"Choice {choice.choice_id!r} of scene {scene.scene_id!r} leads to a "
                        "scene or ending that does not exist.",
                        field=f"scenes.{position}.choices.{number}",
                        part_id=choice.choice_id,
                    )
                )
    reachable = reachable_endings(draft)
    for position, ending in enumerate(draft.endings):
        if ending.ending_id not in reachable:
            found.append(
                Blocker(
                    Code.ENDING_UNREACHABLE,
                    f"No path of choices leads to ending {ending.ending_id!r}.",
                    field=f"endings.{position}",
                    part_id=ending.ending_id,
                )
            )
    return found


def missing_scene_images(draft: VisualNovelResultDraft, images: WorkImages) -> list[str]:
    return [scene.scene_id for scene in draft.scenes if scene.scene_id not in images.scenes]


def blockers(draft: VisualNovelResultDraft, images: WorkImages) -> list[Blocker]:
    """Every reason the draft cannot be published with these images (empty: ready)."""
    found: list[Blocker] = []
    if not draft.title:
        found.append(Blocker(Code.TITLE_MISSING, "Give it a title.", field="title"))
    if images.cover is None:
        found.append(Blocker(Code.COVER_MISSING, "Bind a cover image.", field="cover"))
    else:
        found += public_image_blockers(images.cover, codes=IMAGE_CODES, what="cover", field="cover")
    found += _story_blockers(draft)
    for position, scene in enumerate(draft.scenes):
        where = f"scenes.{position}.image"
        image = images.scenes.get(scene.scene_id)
        if image is None:
            found.append(
                Blocker(
                    Code.SCENE_IMAGE_MISSING,
                    f"Generate or bind the image of scene {scene.scene_id!r}.",
                    field=where,
                    part_id=scene.scene_id,
                )
            )
        else:
            found += public_image_blockers(
                image,
                codes=IMAGE_CODES,
                what=f"image of scene {scene.scene_id!r}",
                field=where,
                part_id=scene.scene_id,
            )
    return found
