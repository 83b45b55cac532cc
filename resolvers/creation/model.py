"""The creation framework's vocabulary: message roles and kinds, operation statuses, reply
formats, the session state adapters hand to the framework, and the outcome of a reply."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from resolvers.ai_tasks.model import AiTaskStatus

# Limits (stated in the GraphQL descriptions).
MAX_MESSAGE_LENGTH = 4000
MAX_SEED_LENGTH = 2000
# The prompt sent to the generator stays within the AI-task limit (8000 characters).
PROMPT_BUDGET = 7600
OPERATION_TYPE_AGENT_REPLY = "agent_reply"


class MessageRole(StrEnum):
    USER = "user"
    ASSISTANT = "assistant"
    SYSTEM = "system"


class MessageKind(StrEnum):
    """`chat`: said in the conversation; `warning`: the framework's note that a reply could
    not be used as it was (the draft was kept)."""

    CHAT = "chat"
    WARNING = "warning"


class OperationStatus(StrEnum):
    """A turn: RUNNING while its AI task runs, then COMPLETED (reply applied), FAILED or
    CANCELLED (the task failed or was cancelled; nothing changed)."""

    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINISHED_OPERATION_STATUSES = frozenset(
    {OperationStatus.COMPLETED, OperationStatus.FAILED, OperationStatus.CANCELLED}
)

# What a turn becomes when its AI task finishes with each status.
TURN_OUTCOMES = {
    AiTaskStatus.COMPLETED: OperationStatus.COMPLETED,
    AiTaskStatus.FAILED: OperationStatus.FAILED,
    AiTaskStatus.CANCELLED: OperationStatus.CANCELLED,
}
# The AI-task statuses after which a turn is applied.
FINISHED_TASK = tuple(status.value for status in TURN_OUTCOMES)


class ReplyFormat(StrEnum):
    """What the agent was asked for: plain text (the built-in generator; the adapter
    derives the draft from the conversation) or one JSON object (a real model)."""

    TEXT = "text"
    JSON = "json"


@dataclass(frozen=True, slots=True)
class SessionState:
    """A creation session as the framework sees it (any play type).

    `draft` is the stored draft (a JSON object) or None; `row` is the play type's whole
    session row for its own use.
    """

    session_id: str
    owner_user_id: str
    seed_text: str
    stage: str
    progress: int
    current_turn: int
    draft: dict[str, Any] | None
    row: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ConversationMessage:
    message_id: str
    role: MessageRole
    kind: MessageKind
    text: str


@dataclass(frozen=True, slots=True)
class ReplyOutcome:
    """What a finished reply changes: the assistant's words, the new draft (None: keep the
    previous one), the stage and progress, and a warning when the reply was unusable."""

    assistant_text: str
    draft: BaseModel | None
    stage: str
    progress: int
    warning: str | None = None
