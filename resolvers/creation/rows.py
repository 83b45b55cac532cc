"""Typed rows the schema reads from the creation framework: agent turns
(`creation_agent_operation`), the messages of a play type's conversation log, and the part
of a play type's session row every `CreationSession` shares; and a running turn with its
AI task, as applying it reads them. Each is built in `from_row` from a select or a raw
statement on either engine (times may come back as text on SQLite).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from resolvers.creation.model import MessageKind, MessageRole, OperationStatus, ReplyFormat
from resolvers.gallery.play_types import PlayType
from resolvers.runs.rows import optional_utc_time, utc_time


@dataclass(frozen=True, slots=True)
class CreationOperationRow:
    """One agent turn (`creation_agent_operation`): its phase, the AI task producing the
    reply and the user message that started it."""

    operation_id: str
    play_type: PlayType
    session_id: str
    owner_user_id: str
    operation_type: str
    status: OperationStatus
    phase_label: str
    phase_detail: str
    progress: int
    error_message: str | None
    warning_message: str | None
    reply_format: ReplyFormat
    task_id: str
    user_message_id: str
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> CreationOperationRow:
        return cls(
            operation_id=row["operation_id"],
            play_type=PlayType(row["play_type"]),
            session_id=row["session_id"],
            owner_user_id=row["owner_user_id"],
            operation_type=row["operation_type"],
            status=OperationStatus(row["status"]),
            phase_label=row["phase_label"],
            phase_detail=row["phase_detail"],
            progress=int(row["progress"]),
            error_message=row["error_message"],
            warning_message=row["warning_message"],
            reply_format=ReplyFormat(row["reply_format"]),
            task_id=row["task_id"],
            user_message_id=row["user_message_id"],
            created_at=utc_time(row["created_at"]),
            updated_at=utc_time(row["updated_at"]),
            finished_at=optional_utc_time(row["finished_at"]),
        )


@dataclass(frozen=True, slots=True)
class CreationMessageRow:
    """One message of a play type's conversation log (its adapter's `messages`)."""

    message_id: str
    session_id: str
    role: MessageRole
    kind: MessageKind
    text: str
    created_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> CreationMessageRow:
        return cls(
            message_id=row["message_id"],
            session_id=row["session_id"],
            role=MessageRole(row["role"]),
            kind=MessageKind(row["kind"]),
            text=row["text"],
            created_at=utc_time(row["created_at"]),
        )


@dataclass(frozen=True, slots=True)
class CreationSessionRow:
    """The columns every play type's session row shares (what `CreationSession` shows);
    the play type's own columns stay in its own row."""

    session_id: str
    seed_text: str
    stage: str
    progress_percent: int
    current_turn: int
    last_assistant_reply: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any], stage_column: str = "stage") -> CreationSessionRow:
        """From a play type's session row; `stage_column` names its stage column (visual
        novels call it `status`)."""
        return cls(
            session_id=row["session_id"],
            seed_text=row["seed_text"],
            stage=row[stage_column],
            progress_percent=int(row["progress_percent"]),
            current_turn=int(row["current_turn"]),
            last_assistant_reply=row["last_assistant_reply"],
            created_at=utc_time(row["created_at"]),
            updated_at=utc_time(row["updated_at"]),
        )


@dataclass(frozen=True, slots=True)
class RunningTurnRow:
    """A RUNNING turn joined to its AI task: what applying the task's reply needs."""

    play_type: str
    session_id: str
    reply_format: str
    task_status: str
    latest_text_output: str | None
    failure_message: str | None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> RunningTurnRow:
        return cls(
            play_type=row["play_type"],
            session_id=row["session_id"],
            reply_format=row["reply_format"],
            task_status=row["task_status"],
            latest_text_output=row["latest_text_output"],
            failure_message=row["failure_message"],
        )
