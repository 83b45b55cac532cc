"""Operations-only `user_tags`: admin lookup and edit, and merging at registration.

Nothing here is reachable from generic login or profile responses: the schema exposes it
on admin types only (docs/domain.md, "Accounts and sign-in").
"""

from __future__ import annotations

import orjson

from db.transactions import write_transaction
from resolvers import clock
from resolvers.auth.errors import AuthError, AuthErrorCode
from resolvers.auth.rows import AdminUserRow
from resolvers.auth.store import users
from resolvers.errors import BadUserInput, NotFound
from resolvers.principal import Principal

MAX_TAGS = 20
TAG_MAX_LENGTH = 32


def clean_tags(tags: list[str]) -> list[str]:
    """Trimmed, de-duplicated (first wins), 1 to 32 characters each, at most 20."""
    cleaned: list[str] = []
    for tag in tags:
        text = str(tag).strip()
        if not 1 <= len(text) <= TAG_MAX_LENGTH or not text.isprintable():
            raise BadUserInput(f"Tags have 1 to {TAG_MAX_LENGTH} printable characters.")
        if text not in cleaned:
            cleaned.append(text)
    if len(cleaned) > MAX_TAGS:
        raise BadUserInput(f"At most {MAX_TAGS} tags.")
    return cleaned


async def merge_user_tags(*, user_id: str, tags: list[str]) -> list[str]:
    """Add `tags` to the user's (caller's transaction); returns the merged list."""
    current = await users.user_tags(user_id)
    merged = current + [tag for tag in tags if tag not in current]
    if merged != current:
        await users.set_tags(user_id=user_id, tags=merged, now=clock.now())
    return merged


async def admin_user(*, viewer: Principal, public_user_code: str) -> AdminUserRow | None:
    """A user with their tags, by public code (admins)."""
    viewer.require_admin()
    return await users.admin_user_by_code(public_user_code.strip())


async def set_user_tags(
    *, viewer: Principal, public_user_code: str, tags: list[str]
) -> AdminUserRow:
    """Replace a user's tags (admins); NOT_FOUND for an unknown public code,
    AuthError(USER_TAGS_INVALID) for tags out of bounds."""
    viewer.require_admin()
    try:
        cleaned = clean_tags(tags)
    except BadUserInput as error:
        raise AuthError(AuthErrorCode.USER_TAGS_INVALID, str(error), field="userTags") from error
    async with write_transaction():
        updated = await users.set_tags_by_code(
            public_user_code=public_user_code.strip(),
            tags_json=orjson.dumps(cleaned).decode(),
            now=clock.now(),
        )
    if not updated:
        raise NotFound("No user with that public code.")
    row = await admin_user(viewer=viewer, public_user_code=public_user_code)
    assert row is not None
    return row
