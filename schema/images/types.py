"""Inputs, payloads and errors of image generation."""

from __future__ import annotations

import strawberry

from resolvers.ai_tasks.rows import AiTaskRow
from resolvers.images.errors import ImageErrorCode
from resolvers.images.model import MAX_PROMPT_LENGTH, MAX_SIDE, MIN_SIDE
from schema.ai_tasks.loaders import AiTaskLoaders
from schema.ai_tasks.types import AiTask

strawberry.enum(
    ImageErrorCode,
    description="Why an image request was refused (then no task was queued and no quota used).",
)

SIDE = f"pixels, {MIN_SIDE} to {MAX_SIDE}"
PROMPT = (
    f"What to draw, 1 to {MAX_PROMPT_LENGTH} characters (runs of white space count as one "
    "space). The embedded backend draws the same picture for the same prompt and size."
)


@strawberry.type(name="ImageError", description="Why an image request did nothing.")
class ImageErrorType:
    code: ImageErrorCode = strawberry.field(description="Machine-readable reason.")
    field: str | None = strawberry.field(description="The input field at fault, if any.")
    message: str = strawberry.field(description="Human-readable explanation.")


@strawberry.input(description="An image to generate for a slot of one of your entities.")
class ImageGenerateInput:
    prompt: str = strawberry.field(description=PROMPT)
    entity_kind: str = strawberry.field(
        description="The asset entity kind (`puzzle_work`, `puzzle_level`, `custom_world`, "
        "`custom_world_card`, …): one a registered play type generates images for."
    )
    entity_id: str = strawberry.field(
        description="The entity's id (a work id; `<workId>.<levelId>` for a puzzle level); "
        "it must be yours."
    )
    slot: str = strawberry.field(
        description="The slot to fill (`cover`, `image`): one the play type allows."
    )
    width: int = strawberry.field(default=512, description=f"Width in {SIDE}.")
    height: int = strawberry.field(default=512, description=f"Height in {SIDE}.")


@strawberry.type(description="Fields shared by the image payloads.")
class ImagePayload:
    errors: list[ImageErrorType] = strawberry.field(
        description="Empty on success; otherwise why nothing was queued (no quota used)."
    )
    remaining_today: int | None = strawberry.field(
        default=None,
        description="Image generations you may still ask for today (Beijing day, "
        "IMAGE_DAILY_QUOTA a day); null when refused.",
    )
    task_row: strawberry.Private[AiTaskRow | None] = None

    @strawberry.field(
        description="The queued `IMAGE_GENERATION` task: follow it with `aiTaskEvents`; once "
        "COMPLETED its result reference is the bound `AssetObject`. Null when refused."
    )
    def task(self) -> AiTask | None:
        if self.task_row is None:
            return None
        return AiTask.from_row(self.task_row, AiTaskLoaders())


@strawberry.type(description="Result of `imageGenerate`.")
class ImageGeneratePayload(ImagePayload):
    pass


@strawberry.type(description="Result of `workCoverGenerate`.")
class WorkCoverGeneratePayload(ImagePayload):
    pass
