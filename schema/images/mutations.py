"""Image mutations: `imageGenerate` (a slot of your entity) and `workCoverGenerate` (your
work's cover, any registered play type). Both queue an `IMAGE_GENERATION` AI task."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.gallery.play_types import PlayType
from resolvers.images import requesting
from schema.context import Info
from schema.gallery.work import work_object_id
from schema.images.types import (
    PROMPT,
    ImageGenerateInput,
    ImageGeneratePayload,
    WorkCoverGeneratePayload,
)
from schema.mutation_errors import DomainErrorPayload
from schema.permissions import IsAuthenticated

QUEUED = (
    "The image is drawn by the configured backend (IMAGE_BACKEND: embedded PNGs or an "
    "OpenAI-compatible images API), stored, confirmed (PUBLIC_READ where the public sees the "
    "slot) and bound to the slot, replacing an earlier image; a provider error, timeout or "
    "refusal fails the task with its message. Counts against your daily quota "
    "(QUOTA_EXCEEDED past it, nothing queued). Another user's entity is NOT_FOUND."
)


@strawberry.type
class ImageMutation:
    @strawberry.mutation(
        description="Generate an image for a slot of one of your entities. " + QUEUED,
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def image_generate(
        self,
        info: Info,
        input: Annotated[
            ImageGenerateInput,
            strawberry.argument(description="The prompt, the slot and the size."),
        ],
    ) -> ImageGeneratePayload:
        requested = await requesting.request_image(
            viewer=info.context.principal,
            prompt=input.prompt,
            entity_kind=input.entity_kind,
            entity_id=input.entity_id,
            slot=input.slot,
            width=input.width,
            height=input.height,
        )
        return ImageGeneratePayload(
            errors=[], remaining_today=requested.remaining_today, task_row=requested.task
        )

    @strawberry.mutation(
        description="Generate the cover of one of your works (any play type; the publish "
        "gate takes it like an uploaded cover). " + QUEUED,
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def work_cover_generate(
        self,
        info: Info,
        play_type: Annotated[PlayType, strawberry.argument(description="The work's play type.")],
        work_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The work's `workId`, or its global `id`."),
        ],
        prompt: Annotated[str, strawberry.argument(description=PROMPT)],
    ) -> WorkCoverGeneratePayload:
        requested = await requesting.request_cover(
            viewer=info.context.principal,
            play_type=play_type,
            work_id=work_object_id(work_id, play_type),
            prompt=prompt,
        )
        return WorkCoverGeneratePayload(
            errors=[], remaining_today=requested.remaining_today, task_row=requested.task
        )
