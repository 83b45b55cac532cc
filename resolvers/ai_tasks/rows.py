"""AI-task rows: JSON columns of raw statements decoded like `load_json=True`, and the typed
rows the schema reads (tasks, stages, text chunks, result references, events), each built in
`from_row`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from resolvers.ai_tasks.model import (
    AiResultReferenceKind,
    AiTaskEventKind,
    AiTaskKind,
    AiTaskStageKind,
    AiTaskStageStatus,
    AiTaskStatus,
)

TASK_JSON = ("request_payload_json", "latest_structured_payload_json")
STAGE_JSON = ("structured_payload_json", "warning_messages")


def _loaded(row: dict[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    """Raw statements return JSON columns as text: decode them like `load_json=True`."""
    for key in keys:
        value = row.get(key)
        if isinstance(value, str | bytes):
            row[key] = orjson.loads(value)
    return row


def task_row(row: dict[str, Any]) -> dict[str, Any]:
    return _loaded(row, TASK_JSON)


@dataclass(frozen=True, slots=True)
class AiTaskStageRow:
    """One stage of a task (`ai_task_stage`)."""

    task_stage_id: str
    task_id: str
    stage_kind: AiTaskStageKind
    label: str
    detail: str
    stage_order: int
    status: AiTaskStageStatus
    text_output: str | None
    structured_payload_json: Any
    warning_messages: list[str]
    chunk_count: int
    started_at: datetime | None
    completed_at: datetime | None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> AiTaskStageRow:
        """From a selected or returned row (JSON columns decoded or still text)."""
        loaded = _loaded(dict(row), STAGE_JSON)
        return cls(
            task_stage_id=loaded["task_stage_id"],
            task_id=loaded["task_id"],
            stage_kind=AiTaskStageKind(loaded["stage_kind"]),
            label=loaded["label"],
            detail=loaded["detail"],
            stage_order=int(loaded["stage_order"]),
            status=AiTaskStageStatus(loaded["status"]),
            text_output=loaded["text_output"],
            structured_payload_json=loaded["structured_payload_json"],
            warning_messages=list(loaded["warning_messages"] or []),
            chunk_count=int(loaded["chunk_count"]),
            started_at=loaded["started_at"],
            completed_at=loaded["completed_at"],
        )


def stage_row(row: Mapping[str, Any]) -> AiTaskStageRow:
    return AiTaskStageRow.from_row(row)


@dataclass(frozen=True, slots=True)
class AiTextChunkRow:
    """A piece of streamed text (`ai_text_chunk`)."""

    text_chunk_row_id: str
    chunk_id: str
    task_id: str
    stage_kind: AiTaskStageKind
    sequence: int
    delta_text: str
    created_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> AiTextChunkRow:
        return cls(
            text_chunk_row_id=row["text_chunk_row_id"],
            chunk_id=row["chunk_id"],
            task_id=row["task_id"],
            stage_kind=AiTaskStageKind(row["stage_kind"]),
            sequence=int(row["sequence"]),
            delta_text=row["delta_text"],
            created_at=row["created_at"],
        )


@dataclass(frozen=True, slots=True)
class AiResultReferenceRow:
    """An output of a task (`ai_result_reference`)."""

    result_reference_row_id: str
    result_ref_id: str
    task_id: str
    reference_kind: AiResultReferenceKind
    reference_id: str
    label: str | None
    created_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> AiResultReferenceRow:
        return cls(
            result_reference_row_id=row["result_reference_row_id"],
            result_ref_id=row["result_ref_id"],
            task_id=row["task_id"],
            reference_kind=AiResultReferenceKind(row["reference_kind"]),
            reference_id=row["reference_id"],
            label=row["label"],
            created_at=row["created_at"],
        )


@dataclass(frozen=True, slots=True)
class AiTaskEventRow:
    """One `ai_task_event` with what a client renders: the chunk's text, the result
    reference, and the task's failure message (`store.events.EVENT_COLUMNS`)."""

    event_id: str
    task_id: str
    owner_user_id: str
    event_kind: AiTaskEventKind
    task_status: AiTaskStatus
    stage_kind: AiTaskStageKind | None
    text_chunk_row_id: str | None
    result_reference_row_id: str | None
    occurred_at: datetime
    chunk_sequence: int | None
    delta_text: str | None
    result_ref_id: str | None
    reference_kind: AiResultReferenceKind | None
    reference_id: str | None
    reference_label: str | None
    failure_message: str | None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> AiTaskEventRow:
        return cls(
            event_id=row["event_id"],
            task_id=row["task_id"],
            owner_user_id=row["owner_user_id"],
            event_kind=AiTaskEventKind(row["event_kind"]),
            task_status=AiTaskStatus(row["task_status"]),
            stage_kind=AiTaskStageKind(row["stage_kind"]) if row["stage_kind"] else None,
            text_chunk_row_id=row["text_chunk_row_id"],
            result_reference_row_id=row["result_reference_row_id"],
            occurred_at=row["occurred_at"],
            chunk_sequence=row["chunk_sequence"],
            delta_text=row["delta_text"],
            result_ref_id=row["result_ref_id"],
            reference_kind=(
                AiResultReferenceKind(row["reference_kind"]) if row["reference_kind"] else None
            ),
            reference_id=row["reference_id"],
            reference_label=row["reference_label"],
            failure_message=row["failure_message"],
        )


@dataclass(frozen=True, slots=True)
class StreamedAiTaskEvent:
    """An event at its position in the task's stream (a page of `AiTask.events`)."""

    sequence: int
    event: AiTaskEventRow


@dataclass(frozen=True, slots=True)
class AiTaskRow:
    """One AI task (`ai_task`), JSON columns decoded."""

    task_id: str
    task_kind: AiTaskKind
    owner_user_id: str
    request_label: str
    source_module: str
    source_entity_id: str | None
    request_payload_json: Any
    status: AiTaskStatus
    failure_message: str | None
    latest_text_output: str | None
    latest_structured_payload_json: Any
    version: int
    created_at: datetime
    started_at: datetime | None
    completed_at: datetime | None
    updated_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> AiTaskRow:
        """From a selected or returned row (JSON columns decoded or still text)."""
        loaded = _loaded(dict(row), TASK_JSON)
        return cls(
            task_id=loaded["task_id"],
            task_kind=AiTaskKind(loaded["task_kind"]),
            owner_user_id=loaded["owner_user_id"],
            request_label=loaded["request_label"],
            source_module=loaded["source_module"],
            source_entity_id=loaded["source_entity_id"],
            request_payload_json=loaded["request_payload_json"],
            status=AiTaskStatus(loaded["status"]),
            failure_message=loaded["failure_message"],
            latest_text_output=loaded["latest_text_output"],
            latest_structured_payload_json=loaded["latest_structured_payload_json"],
            version=int(loaded["version"]),
            created_at=loaded["created_at"],
            started_at=loaded["started_at"],
            completed_at=loaded["completed_at"],
            updated_at=loaded["updated_at"],
        )
