"""The enums of the AI-task graph, declared to Strawberry: a module that names one in a
type imports it from here, so the declaration comes before any type that names it (an
input's enum default is converted when the input is decorated)."""

from __future__ import annotations

import strawberry

from resolvers.ai_tasks.errors import AiTaskErrorCode
from resolvers.ai_tasks.model import (
    AiResultReferenceKind,
    AiTaskEventKind,
    AiTaskKind,
    AiTaskStageKind,
    AiTaskStageStatus,
    AiTaskStatus,
)

strawberry.enum(AiTaskKind, description="What an AI task produces.")
strawberry.enum(
    AiTaskStatus,
    description="PENDING → RUNNING → COMPLETED; FAILED and CANCELLED end it early. "
    "COMPLETED, FAILED and CANCELLED are final.",
)
strawberry.enum(AiTaskStageKind, description="A step of an AI task; at most one of each per task.")
strawberry.enum(
    AiTaskStageStatus,
    description="PENDING → RUNNING → COMPLETED; a running stage becomes FAILED or CANCELLED "
    "with its task.",
)
strawberry.enum(AiResultReferenceKind, description="What a result reference points at.")
strawberry.enum(AiTaskEventKind, description="What an AI-task event records.")
strawberry.enum(AiTaskErrorCode, description="Why an AI-task mutation was refused.")

__all__ = [
    "AiResultReferenceKind",
    "AiTaskErrorCode",
    "AiTaskEventKind",
    "AiTaskKind",
    "AiTaskStageKind",
    "AiTaskStageStatus",
    "AiTaskStatus",
]
