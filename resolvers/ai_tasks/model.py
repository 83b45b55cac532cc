"""The AI-task vocabulary: statuses, kinds and the limits inputs are checked against."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class AiTaskKind(StrEnum):
    """What a task produces (`ai_task.task_kind`)."""

    TEXT_GENERATION = "text_generation"
    STORY_CONTINUATION = "story_continuation"
    WORLD_DRAFT = "world_draft"
    CREATION_AGENT_REPLY = "creation_agent_reply"
    NPC_DIALOGUE = "npc_dialogue"
    CHARACTER_VISUAL = "character_visual"
    ASSET_GENERATION = "asset_generation"
    # A picture stored, confirmed and bound to a slot (resolvers/images, `imageGenerate`).
    IMAGE_GENERATION = "image_generation"


class AiTaskStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINISHED_STATUSES = frozenset({AiTaskStatus.COMPLETED, AiTaskStatus.FAILED, AiTaskStatus.CANCELLED})


class AiTaskStageKind(StrEnum):
    """A step of a task; each kind appears at most once per task."""

    PREPARE_PROMPT = "prepare_prompt"
    REQUEST_MODEL = "request_model"
    REPAIR_RESPONSE = "repair_response"
    NORMALIZE_RESULT = "normalize_result"
    PERSIST_RESULT = "persist_result"


class AiTaskStageStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


class AiResultReferenceKind(StrEnum):
    """What a result reference points at."""

    ASSET_OBJECT = "asset_object"
    WORK_PROFILE = "work_profile"
    ENTITY = "entity"


class AiTaskEventKind(StrEnum):
    """What an `ai_task_event` records."""

    CREATED = "created"
    STARTED = "started"
    STAGE_STARTED = "stage_started"
    TEXT_CHUNK = "text_chunk"
    # Another worker took the generation over (its worker stopped) and continues the text
    # after what was written: the seam between two workers' chunks.
    RESUMED = "resumed"
    STAGE_COMPLETED = "stage_completed"
    RESULT_ATTACHED = "result_attached"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


# Input limits (stated in the GraphQL descriptions).
MAX_LABEL_LENGTH = 200
MAX_DETAIL_LENGTH = 2000
MAX_SOURCE_LENGTH = 64
MAX_ID_LENGTH = 128
MAX_STAGES = 8
MAX_DELTA_LENGTH = 16_000
MAX_TEXT_OUTPUT_LENGTH = 200_000
MAX_MESSAGE_LENGTH = 2000
MAX_WARNINGS = 20
MAX_PAYLOAD_BYTES = 64 * 1024
MAX_PROMPT_LENGTH = 8000

# Stream keys: one stream per task, one per owner (all their tasks).
TASK_STREAM_PREFIX = "ai_task:"
OWNER_STREAM_PREFIX = "ai_tasks:"


def task_stream(task_id: str) -> str:
    return f"{TASK_STREAM_PREFIX}{task_id}"


def owner_stream(user_id: str) -> str:
    return f"{OWNER_STREAM_PREFIX}{user_id}"


@dataclass(frozen=True, slots=True)
class StageInput:
    """A stage asked for when a task is created."""

    kind: AiTaskStageKind
    label: str
    detail: str = ""
