"""Help and feedback: description, optional phone, image evidence kept private.

`evidence_json` holds `{"meta": [...], "data": [...]}`: the data URLs never leave the
database through this API; reads extract `meta` in SQL, so lists never load the images.
"""

from __future__ import annotations

import orjson
import phonenumbers

from db.transactions import write_transaction
from resolvers import clock
from resolvers.ids import new_id
from resolvers.pagination import Page
from resolvers.principal import Principal
from resolvers.profile.errors import ProfileError, ProfileErrorCode
from resolvers.profile.evidence import decode_images
from resolvers.profile.model import Feedback, FeedbackStatus
from resolvers.profile.store import feedback as store
from settings import get_settings

DESCRIPTION_MAX = 2000


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


async def submit_feedback(
    *,
    viewer: Principal,
    description: str,
    contact_phone: str | None = None,
    images: list[str] | None = None,
) -> Feedback:
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
        "meta": [item.stored_meta() for item in evidence],
        "data": [item.data_url for item in evidence],
    }
    async with write_transaction():
        await store.insert_feedback(
            feedback_id=feedback_id,
            user_id=user_id,
            description=text,
            contact_phone=phone,
            evidence_json=orjson.dumps(stored).decode(),
            status=FeedbackStatus.SUBMITTED.value,
            now=now,
        )
    return Feedback(
        feedback_id=feedback_id,
        user_id=user_id,
        description=text,
        contact_phone=phone,
        status=FeedbackStatus.SUBMITTED,
        evidence=tuple(item.meta for item in evidence),
        created_at=now,
        updated_at=now,
    )


async def feedback_submissions(
    *, user_id: str, first: int | None, after: str | None
) -> Page[Feedback]:
    """The user's submissions, newest first, with evidence metadata only (one statement)."""
    return await store.feedback_page(user_id=user_id, first=first, after=after)
