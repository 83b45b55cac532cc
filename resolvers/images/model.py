"""The image vocabulary: limits, what a backend is asked and what it returns."""

from __future__ import annotations

from dataclasses import dataclass

from resolvers.ai_tasks.model import AiTaskStageKind, StageInput

MIN_SIDE = 64
MAX_SIDE = 1024
MAX_PROMPT_LENGTH = 1000
# Recorded as the generated object's `asset_kind` (and the first part of its object key).
ASSET_KIND = "generated_image"
SOURCE_MODULE = "images"
# The result reference a completed task carries (`ai_result_reference.result_ref_id`).
RESULT_REF_ID = "image"

DRAW = AiTaskStageKind.REQUEST_MODEL
STORE = AiTaskStageKind.PERSIST_RESULT
STAGES = (
    StageInput(DRAW, "Draw", "Ask the image backend for the picture"),
    StageInput(STORE, "Store", "Store, confirm and bind the image to its slot"),
)


@dataclass(frozen=True, slots=True)
class ImageRequest:
    """What a backend draws: a prompt and a size in pixels."""

    task_id: str
    prompt: str
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class GeneratedImage:
    """A backend's answer: the bytes and their (checked) content type."""

    data: bytes
    content_type: str
