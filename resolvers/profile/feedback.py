"""Help and feedback: description, optional phone, image evidence kept private.

`evidence_json` holds `{"meta": [...], "data": [...]}`: the data URLs never leave the
database through this API; reads extract `meta` in SQL, so lists never load the images.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import orjson
import phonenumbers

from db.engine import is_sqlite
from db.tables.profile import ProfileFeedbackSubmission
from db.transactions import write_transaction
from resolvers import clock
from resolvers.errors import BadUserInput
from resolvers.ids import new_id
from resolvers.pagination import Page, build_page, decode_cursor, page_size
from resolvers.principal import Principal
from resolvers.profile.errors import ProfileError, ProfileErrorCode
from resolvers.profile.evidence import decode_images
from settings import get_settings

DESCRIPTION_MAX = 2000


class FeedbackStatus(StrEnum):
    SUBMITTED = "submitted"


def _phone(raw: str | None) -> str | None:
    if raw is None or not raw.strip():
        return None
    try:
        number = phonenumbers.parse(raw, get_settings().phone_default_region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ProfileError(
            ProfileErrorCode.PHONE_INVALID, "Not a valid phone number.", field="contactPhone"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _meta_column() -> str:
    if is_sqlite(ProfileFeedbackSubmission._meta.db):
        return "json_extract(evidence_json, '$.meta')"
    return "(evidence_json -> 'meta')::text"


_COLUMNS = "feedback_id, user_id, description, contact_phone, status, created_at, updated_at"


def _with_meta(row: dict[str, Any]) -> dict[str, Any]:
    meta = row.pop("evidence_meta", None)
    row["evidence"] = orjson.loads(meta) if isinstance(meta, str | bytes) else (meta or [])
    return row


async def submit_feedback(
    *,
    viewer: Principal,
    description: str,
    contact_phone: str | None = None,
    images: list[str] | None = None,
) -> dict[str, Any]:
    """Store one submission; returns it with evidence metadata only."""
    user_id = viewer.require_user()
    text = description.strip()
    if not 1 <= len(text) <= DESCRIPTION_MAX:
        raise ProfileError(
            ProfileErrorCode.DESCRIPTION_INVALID,
            f"Describe the problem in 1 to {DESCRIPTION_MAX} characters.",
            field="description",
        )
    phone = _phone(contact_phone)
    evidence = decode_images(images or [])
    now = clock.now()
    feedback_id = new_id()
    stored = {
        "meta": [item.meta() for item in evidence],
        "data": [item.data_url for item in evidence],
    }
    async with write_transaction():
        await ProfileFeedbackSubmission.raw(
            "INSERT INTO profile_feedback_submission (feedback_id, user_id, description, "
            "contact_phone, evidence_json, status, created_at, updated_at) "
            "VALUES ({}, {}, {}, {}, {}, {}, {}, {})",
            feedback_id,
            user_id,
            text,
            phone,
            orjson.dumps(stored).decode(),
            FeedbackStatus.SUBMITTED.value,
            now,
            now,
        )
    return {
        "feedback_id": feedback_id,
        "user_id": user_id,
        "description": text,
        "contact_phone": phone,
        "status": FeedbackStatus.SUBMITTED.value,
        "created_at": now,
        "updated_at": now,
        "evidence": stored["meta"],
    }


async def feedback_submissions(
    *, user_id: str, first: int | None, after: str | None
) -> Page[dict[str, Any]]:
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
    rows = await ProfileFeedbackSubmission.raw(
        f"SELECT {_COLUMNS}, {_meta_column()} AS evidence_meta "
        f"FROM profile_feedback_submission WHERE {where} "
        "ORDER BY created_at DESC, feedback_id DESC LIMIT {}",
        *params,
        size + 1,
    )
    return build_page(
        [_with_meta(dict(row)) for row in rows],
        size,
        lambda row: [row["created_at"].isoformat(), row["feedback_id"]],
    )
