"""The statements on `public_work_like`: one like per (user, work), keyed `like_id`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from db.tables.gallery import PublicWorkLike


async def insert_like(*, like_id: str, user_id: str, key: str, now: datetime) -> bool:
    """Add the user's like of the published work `key`; False when it is not published or
    already liked."""
    # Raw: INSERT … SELECT from the read model (the like exists only for a published
    # work), which the builder cannot write.
    added = await PublicWorkLike.raw(
        "INSERT INTO public_work_like "
        "(like_id, source_type, owner_user_id, profile_id, user_id, liked_at) "
        "SELECT {}, play_type, owner_user_id, work_id, {}, {} FROM gallery_public_work "
        "WHERE entry_id = {} ON CONFLICT (like_id) DO NOTHING RETURNING like_id",
        like_id,
        user_id,
        now,
        key,
    )
    return bool(added)


async def delete_like(like_id: str) -> bool:
    """Remove a like; False when there was none."""
    removed = (
        await PublicWorkLike.delete()
        .where(PublicWorkLike.like_id == like_id)
        .returning(PublicWorkLike.like_id)
    )
    return bool(removed)


async def existing_like_ids(like_ids: Sequence[str]) -> list[str]:
    """Which of these likes exist (one statement)."""
    rows = await PublicWorkLike.select(PublicWorkLike.like_id).where(
        PublicWorkLike.like_id.is_in(list(like_ids))
    )
    return [row["like_id"] for row in rows]
