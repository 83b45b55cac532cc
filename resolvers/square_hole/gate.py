"""The square-hole publish gate: what keeps a work from being published, with codes.

A work needs a title, a cover (slot `cover` of entity `square_hole_work`, the work id: a
PUBLIC_READ image, since everyone sees it), a twist rule, at least one hole, a non-empty
rule list, a shape count from 2 to 30 with at least that many shapes, rules that name
only shapes and holes of the work (or `*`), and a target score the rules can reach
whichever shapes a run deals (`RuleBook.guaranteed_score`).
"""

from __future__ import annotations

from collections.abc import Sequence

from resolvers.assets.bound import bound_assets
from resolvers.assets.rows import BindingTarget, BoundAsset
from resolvers.play_types.gates import Blocker, ImageCodes, public_image_blockers
from resolvers.square_hole.drafts import SquareHoleDraft
from resolvers.square_hole.model import (
    ANY,
    COVER_SLOT,
    MAX_SHAPE_COUNT,
    MIN_SHAPE_COUNT,
    WORK_ENTITY,
    SquareHoleBlockerCode,
)

IMAGE_CODES = ImageCodes(
    not_an_image=SquareHoleBlockerCode.IMAGE_NOT_AN_IMAGE,
    not_public=SquareHoleBlockerCode.IMAGE_NOT_PUBLIC,
)
Code = SquareHoleBlockerCode


async def bound_covers(work_ids: Sequence[str]) -> dict[str, BoundAsset]:
    """The objects bound to the covers of works, one statement."""
    covers = await bound_assets([BindingTarget(WORK_ENTITY, work_ids, COVER_SLOT)])
    return {asset.entity_id: asset for asset in covers}


def _rule_blockers(draft: SquareHoleDraft) -> list[Blocker]:
    config = draft.config
    shapes = {shape.shape_id for shape in config.shapes} | {ANY}
    holes = {hole.hole_id for hole in config.holes} | {ANY}
    found: list[Blocker] = []
    for position, rule in enumerate(config.rules):
        where = f"config.rules.{position}"
        if rule.shape not in shapes:
            found.append(
                Blocker(
                    Code.RULE_UNKNOWN_SHAPE,
                    f"Rule {position + 1} names shape {rule.shape!r}, which the work lacks.",
                    field=f"{where}.shape",
                )
            )
        if rule.hole not in holes:
            found.append(
                Blocker(
                    Code.RULE_UNKNOWN_HOLE,
                    f"Rule {position + 1} names hole {rule.hole!r}, which the work lacks.",
                    field=f"{where}.hole",
                )
            )
    return found


def blockers(draft: SquareHoleDraft, cover: BoundAsset | None) -> list[Blocker]:
    """Every reason the draft cannot be published with this cover (empty: ready)."""
    config = draft.config
    found: list[Blocker] = []
    if not draft.title:
        found.append(Blocker(Code.TITLE_MISSING, "Give it a title.", field="title"))
    if cover is None:
        found.append(Blocker(Code.COVER_MISSING, "Bind a cover image.", field="cover"))
    else:
        found += public_image_blockers(cover, codes=IMAGE_CODES, what="cover", field="cover")
    if not draft.twist_rule:
        found.append(Blocker(Code.TWIST_RULE_MISSING, "State the twist rule.", field="twistRule"))
    if not config.holes:
        found.append(Blocker(Code.NO_HOLES, "Add at least one hole.", field="config.holes"))
    if not config.rules:
        found.append(Blocker(Code.NO_RULES, "Add at least one rule.", field="config.rules"))
    count = draft.shape_count
    if count is None or not MIN_SHAPE_COUNT <= count <= MAX_SHAPE_COUNT:
        found.append(
            Blocker(
                Code.SHAPE_COUNT_INVALID,
                f"Choose how many shapes a run deals, {MIN_SHAPE_COUNT} to {MAX_SHAPE_COUNT}.",
                field="shapeCount",
            )
        )
    elif len(config.shapes) < count:
        found.append(
            Blocker(
                Code.TOO_FEW_SHAPES,
                f"A run deals {count} shapes: add {count - len(config.shapes)} more.",
                field="config.shapes",
            )
        )
    rule_problems = _rule_blockers(draft)
    found += rule_problems
    dealt = count is not None and MIN_SHAPE_COUNT <= count <= len(config.shapes)
    if dealt and config.rules and not rule_problems:
        reachable = config.rule_book().guaranteed_score(
            [shape.shape_id for shape in config.shapes],
            [hole.hole_id for hole in config.holes],
            count or 0,
        )
        if config.target_score > reachable:
            found.append(
                Blocker(
                    Code.TARGET_UNREACHABLE,
                    f"The rules guarantee at most {reachable} points: lower the target.",
                    field="config.targetScore",
                )
            )
    return found
