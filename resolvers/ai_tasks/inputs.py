"""Validation of AI-task inputs (texts, identifiers, JSON payloads, stages); a refusal
raises `AiTaskError` before anything is written."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

from resolvers.ai_tasks.errors import AiTaskError, AiTaskErrorCode
from resolvers.ai_tasks.model import (
    MAX_DETAIL_LENGTH,
    MAX_ID_LENGTH,
    MAX_LABEL_LENGTH,
    MAX_PAYLOAD_BYTES,
    MAX_PROMPT_LENGTH,
    MAX_SOURCE_LENGTH,
    MAX_STAGES,
    MAX_TEXT_OUTPUT_LENGTH,
    AiTaskStageKind,
    StageInput,
)

DEFAULT_STAGES = (
    StageInput(AiTaskStageKind.REQUEST_MODEL, "Generate", "Stream the model's reply"),
)


def valid_text(
    value: str, *, field: str, code: AiTaskErrorCode, limit: int, allow_empty: bool = False
) -> str:
    cleaned = value.strip()
    if (not cleaned and not allow_empty) or len(cleaned) > limit or "\x00" in cleaned:
        raise AiTaskError(code, f"`{field}` takes 1 to {limit} characters.", field=field)
    return cleaned


def valid_identifier(value: str, *, field: str, code: AiTaskErrorCode) -> str:
    if not value or len(value) > MAX_ID_LENGTH or not value.isprintable():
        raise AiTaskError(
            code, f"`{field}` takes 1 to {MAX_ID_LENGTH} printable characters.", field=field
        )
    return value


def valid_payload(value: Any, *, field: str) -> str | None:
    """A JSON object (or array) as stored text; None stays None."""
    if value is None:
        return None
    if not isinstance(value, dict | list):
        raise AiTaskError(
            AiTaskErrorCode.PAYLOAD_INVALID, f"`{field}` must be a JSON object.", field=field
        )
    encoded = orjson.dumps(value)
    if len(encoded) > MAX_PAYLOAD_BYTES:
        raise AiTaskError(
            AiTaskErrorCode.PAYLOAD_INVALID,
            f"`{field}` is limited to {MAX_PAYLOAD_BYTES} bytes of JSON.",
            field=field,
        )
    return encoded.decode()


def valid_stages(stages: Sequence[StageInput] | None) -> list[StageInput]:
    chosen = list(stages) if stages else list(DEFAULT_STAGES)
    kinds = [stage.kind for stage in chosen]
    if len(chosen) > MAX_STAGES or len(set(kinds)) != len(kinds):
        raise AiTaskError(
            AiTaskErrorCode.STAGES_INVALID,
            f"A task has 1 to {MAX_STAGES} stages, each kind at most once.",
            field="stages",
        )
    return [
        StageInput(
            kind=stage.kind,
            label=valid_text(
                stage.label,
                field="stages.label",
                code=AiTaskErrorCode.STAGES_INVALID,
                limit=MAX_LABEL_LENGTH,
            ),
            detail=valid_text(
                stage.detail,
                field="stages.detail",
                code=AiTaskErrorCode.STAGES_INVALID,
                limit=MAX_DETAIL_LENGTH,
                allow_empty=True,
            ),
        )
        for stage in chosen
    ]


def valid_source(source_module: str, source_entity_id: str | None) -> tuple[str, str | None]:
    """A new task's `sourceModule` and optional `sourceEntityId`, validated."""
    source = valid_text(
        source_module,
        field="sourceModule",
        code=AiTaskErrorCode.SOURCE_INVALID,
        limit=MAX_SOURCE_LENGTH,
    )
    entity = (
        valid_identifier(
            source_entity_id, field="sourceEntityId", code=AiTaskErrorCode.SOURCE_INVALID
        )
        if source_entity_id is not None
        else None
    )
    return source, entity


def valid_prompt(prompt: str) -> tuple[str, str]:
    """A generation's prompt, validated, and the request label made of it (one line of at
    most 80 characters)."""
    text = valid_text(
        prompt, field="prompt", code=AiTaskErrorCode.PROMPT_INVALID, limit=MAX_PROMPT_LENGTH
    )
    label = " ".join(text.split())
    label = label if len(label) <= 80 else label[:79] + "…"
    return text, label


def check_text_output(text_output: str | None) -> None:
    """Refuse a `textOutput` (of a stage or a task) over its limit."""
    if text_output is not None and len(text_output) > MAX_TEXT_OUTPUT_LENGTH:
        raise AiTaskError(
            AiTaskErrorCode.TEXT_INVALID,
            f"`textOutput` is limited to {MAX_TEXT_OUTPUT_LENGTH} characters.",
            field="textOutput",
        )
