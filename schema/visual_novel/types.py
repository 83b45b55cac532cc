"""Visual-novel values on the graph: its enums, publish blockers and mutation errors (the
work itself is schema/visual_novel/work.py)."""

from __future__ import annotations

import strawberry

from resolvers.play_types.gates import Blocker
from resolvers.visual_novel.errors import VisualNovelErrorCode
from resolvers.visual_novel.model import (
    VisualNovelBlockerCode,
    VisualNovelSourceMode,
    VisualNovelStage,
)

strawberry.enum(
    VisualNovelStage,
    description="COLLECTING_ANCHORS until the draft has scenes, DRAFT_READY once it has, "
    "PUBLISHED while its work is published.",
)
strawberry.enum(
    VisualNovelSourceMode,
    description="Where a creation started: SEED (a seed text) or ASSETS (your own images).",
)
strawberry.enum(
    VisualNovelBlockerCode,
    description="Why a visual novel cannot be published yet: TITLE_MISSING, COVER_MISSING, "
    "NO_SCENES, NO_ENDINGS, CHOICE_TARGET_MISSING (a choice, or the opening scene, names a "
    "scene or ending that does not exist), ENDING_UNREACHABLE (no path of choices leads "
    "to it), SCENE_IMAGE_MISSING (nothing bound to `scene:<sceneId>`), IMAGE_NOT_PUBLIC, "
    "IMAGE_NOT_AN_IMAGE.",
)
strawberry.enum(VisualNovelErrorCode, description="Why a visual-novel mutation was refused.")


@strawberry.type(description="Something that keeps a visual novel from being published.")
class VisualNovelBlocker:
    code: VisualNovelBlockerCode = strawberry.field(description="Machine-readable reason.")
    field: str | None = strawberry.field(
        description="The part at fault: `title`, `cover`, `scenes`, `endings`, "
        "`startSceneId`, `scenes.<i>.choices.<j>`, `scenes.<i>.image`, `endings.<i>` (from 0)."
    )
    part_id: strawberry.ID | None = strawberry.field(
        description="The scene, choice or ending concerned, if any."
    )
    message: str = strawberry.field(description="Human-readable explanation.")

    @classmethod
    def from_blocker(cls, blocker: Blocker) -> VisualNovelBlocker:
        return cls(
            code=VisualNovelBlockerCode(blocker.code),
            field=blocker.field,
            part_id=strawberry.ID(blocker.part_id) if blocker.part_id else None,
            message=blocker.message,
        )


@strawberry.type(name="VisualNovelError", description="Why a visual-novel mutation did nothing.")
class VisualNovelErrorType:
    code: VisualNovelErrorCode = strawberry.field(description="Machine-readable reason.")
    field: str | None = strawberry.field(description="The input field at fault, if any.")
    message: str = strawberry.field(description="Human-readable explanation.")
