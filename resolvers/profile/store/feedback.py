"""The feedback statements of the profile: store a submission, list submissions (reading
only the evidence's metadata, never its images)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from db.engine import is_sqlite
from db.tables.profile import ProfileFeedbackSubmission
from resolvers.errors import BadUserInput
from resolvers.pagination import Page, build_page, decode_cursor, page_size
from resolvers.profile.model import Feedback

FEEDBACK_COLUMNS = (
    "feedback_id, user_id, description, contact_phone, status, created_at, updated_at"
)


def _meta_column() -> str:
    if is_sqlite(ProfileFeedbackSubmission._meta.db):
        return "json_extract(evidence_json, '$.meta')"
    return "(evidence_json -> 'meta')::text"


async def insert_feedback(
    *,
    feedback_id: str,
    user_id: str,
    description: str,
    contact_phone: str | None,
    evidence_json: str,
    status: str,
    now: datetime,
) -> None:
    """Insert one submission created now."""
    await ProfileFeedbackSubmission.insert(
        ProfileFeedbackSubmission(
            feedback_id=feedback_id,
            user_id=user_id,
            description=description,
            contact_phone=contact_phone,
            evidence_json=evidence_json,
            status=status,
            created_at=now,
            updated_at=now,
        )
    ).run()


async def feedback_page(*, user_id: str, first: int | None, after: str | None) -> Page[Feedback]:
    """The user's submissions, newest first, with evidence metadata only (one statement)."""
    size = page_size(first)
    where = "user_id = {}"
    params: list[Any] = [user_id]
    if after is not None:
        raw_time, raw_id = decode_cursor(after, size=2)
        try:
            moment = datetime.fromisoformat(str(raw_time))
        except ValueError as error:
            raise BadUserInput("Invalid cursor.") from error
        where += " AND (created_at < {} OR (created_at = {} AND feedback_id < {}))"
        params += [moment, moment, str(raw_id)]
    # Raw: Piccolo cannot select one key of a JSON column on SQLite (lists never load images).
    rows = await ProfileFeedbackSubmission.raw(
        f"SELECT {FEEDBACK_COLUMNS}, {_meta_column()} AS evidence_meta "
        f"FROM profile_feedback_submission WHERE {where} "
        "ORDER BY created_at DESC, feedback_id DESC LIMIT {}",
        *params,
        size + 1,
    )
    return build_page(
        [Feedback.from_row(row) for row in rows],
        size,
        lambda item: [item.created_at.isoformat(), item.feedback_id],
    )
