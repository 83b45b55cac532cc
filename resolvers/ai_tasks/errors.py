"""Expected failures of the ai_tasks domain: illegal transitions and invalid inputs."""

from enum import StrEnum

from resolvers.errors import DomainError


class AiTaskErrorCode(StrEnum):
    # The state machine
    TASK_FINISHED = "TASK_FINISHED"
    TASK_NOT_PENDING = "TASK_NOT_PENDING"
    TASK_NOT_RUNNING = "TASK_NOT_RUNNING"
    STAGE_NOT_FOUND = "STAGE_NOT_FOUND"
    STAGE_OUT_OF_ORDER = "STAGE_OUT_OF_ORDER"
    STAGE_NOT_PENDING = "STAGE_NOT_PENDING"
    STAGE_NOT_RUNNING = "STAGE_NOT_RUNNING"
    STAGES_INCOMPLETE = "STAGES_INCOMPLETE"
    # Inputs
    LABEL_INVALID = "LABEL_INVALID"
    SOURCE_INVALID = "SOURCE_INVALID"
    PAYLOAD_INVALID = "PAYLOAD_INVALID"
    STAGES_INVALID = "STAGES_INVALID"
    CHUNK_INVALID = "CHUNK_INVALID"
    TEXT_INVALID = "TEXT_INVALID"
    REFERENCE_INVALID = "REFERENCE_INVALID"
    MESSAGE_INVALID = "MESSAGE_INVALID"
    PROMPT_INVALID = "PROMPT_INVALID"
    KIND_INVALID = "KIND_INVALID"


class AiTaskError(DomainError):
    """An expected AI-task failure (`code` is an `AiTaskErrorCode`); nothing was written."""
