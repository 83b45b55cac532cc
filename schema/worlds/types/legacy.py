"""Q&A sessions (the older creation flow) and their questions."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from resolvers.worlds.drafts import stored_draft
from resolvers.worlds.legacy_rows import LegacySessionRow
from resolvers.worlds.model import (
    AnchorKey,
    GenerationMode,
    LegacySessionStatus,
)
from schema.worlds.types.drafts import CustomWorldDraftType


@strawberry.type(description="One question of a Q&A session, with the creator's answer.")
class CustomWorldQuestion:
    question_id: strawberry.ID = strawberry.field(description="`name` or an anchor key.")
    prompt: str = strawberry.field(description="The question.")
    anchor: AnchorKey | None = strawberry.field(description="The anchor it fills, if any.")
    answer: str | None = strawberry.field(description="The answer (up to 500), if given.")


@strawberry.type(
    description="A session of the older question-and-answer flow (kept apart from agent "
    "sessions): setting, questions and answers, then a result or an error. Owner only."
)
class CustomWorldSession:
    session_id: strawberry.ID = strawberry.field(description="The session's id.")
    generation_mode: GenerationMode = strawberry.field(description="QUICK or GUIDED.")
    status: LegacySessionStatus = strawberry.field(description="Where the session is.")
    setting_text: str = strawberry.field(description="The setting, up to 4000 characters.")
    creator_intent: JSON | None = strawberry.field(description="What the creator asked for.")
    questions: list[CustomWorldQuestion] = strawberry.field(description="The questions, in order.")
    result_payload: JSON | None = strawberry.field(
        description="COMPLETED: the generated draft as JSON."
    )
    result: CustomWorldDraftType | None = strawberry.field(
        description="COMPLETED: the generated draft."
    )
    last_error_message: str | None = strawberry.field(description="FAILED: why.")
    created_at: datetime = strawberry.field(description="When it was started.")
    updated_at: datetime = strawberry.field(description="Its last change.")

    @classmethod
    def from_row(cls, row: LegacySessionRow) -> CustomWorldSession:
        result = row.result_payload_json
        return cls(
            session_id=strawberry.ID(row.session_id),
            generation_mode=row.generation_mode,
            status=row.status,
            setting_text=row.setting_text,
            creator_intent=row.creator_intent_json,
            questions=[
                CustomWorldQuestion(
                    question_id=strawberry.ID(q.id),
                    prompt=q.prompt,
                    anchor=q.anchor,
                    answer=q.answer,
                )
                for q in row.questions
            ],
            result_payload=result,
            result=CustomWorldDraftType.from_draft(stored_draft(result)) if result else None,
            last_error_message=row.last_error_message,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )
