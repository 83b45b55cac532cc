"""Typed rows of the older question-and-answer flow (`custom_world_session`): the session
and its questions, built in `from_row` on both engines (`returning` gives JSON as text).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from resolvers.runs.rows import json_value, utc_time
from resolvers.worlds.model import AnchorKey, GenerationMode, LegacySessionStatus


@dataclass(frozen=True, slots=True)
class LegacyQuestion:
    """One question of a Q&A session (`name` or an anchor key) with the creator's answer."""

    id: str
    anchor: AnchorKey | None
    prompt: str
    answer: str | None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LegacyQuestion:
        return cls(
            id=data["id"],
            anchor=AnchorKey(data["anchor"]) if data["anchor"] else None,
            prompt=data["prompt"],
            answer=data["answer"],
        )

    def as_json(self) -> dict[str, Any]:
        """The question as `question_snapshot_json` stores it."""
        return {
            "id": self.id,
            "anchor": self.anchor.value if self.anchor is not None else None,
            "prompt": self.prompt,
            "answer": self.answer,
        }


@dataclass(frozen=True, slots=True)
class LegacySessionRow:
    """A Q&A session: setting, questions and answers, then a result (a draft's JSON,
    free-form here) or the error of its generation."""

    session_id: str
    owner_user_id: str
    generation_mode: GenerationMode
    status: LegacySessionStatus
    setting_text: str
    creator_intent_json: Any
    questions: tuple[LegacyQuestion, ...]
    result_payload_json: Any
    last_error_message: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> LegacySessionRow:
        return cls(
            session_id=row["session_id"],
            owner_user_id=row["owner_user_id"],
            generation_mode=GenerationMode(row["generation_mode"]),
            status=LegacySessionStatus(row["status"]),
            setting_text=row["setting_text"],
            creator_intent_json=json_value(row["creator_intent_json"]),
            questions=tuple(
                LegacyQuestion.from_json(q) for q in json_value(row["question_snapshot_json"]) or ()
            ),
            result_payload_json=json_value(row["result_payload_json"]),
            last_error_message=row["last_error_message"],
            created_at=utc_time(row["created_at"]),
            updated_at=utc_time(row["updated_at"]),
        )
