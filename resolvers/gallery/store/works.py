"""The writes of the read model `gallery_public_work` (keyed `{play_type}:{work_id}`), each
inside its caller's transaction."""

from __future__ import annotations

from datetime import datetime

from db.tables.gallery import GalleryPublicWork
from resolvers.gallery.model import hot_window_start
from resolvers.gallery.play_types import PlayType

# Counts of a work computed from the catalog tables, so a work published again (after an
# unpublish) keeps its likes and plays.
PLAYS = (
    "(SELECT COALESCE(SUM(play_count), 0) FROM public_work_play_daily_stat "
    "WHERE source_type = {} AND profile_id = {})"
)
PLAYS_SINCE = (
    "(SELECT COALESCE(SUM(play_count), 0) FROM public_work_play_daily_stat "
    "WHERE source_type = {} AND profile_id = {} AND played_day >= {})"
)
LIKES = "(SELECT COUNT(*) FROM public_work_like WHERE source_type = {} AND profile_id = {})"


async def insert_published_work(
    *,
    key: str,
    play_type: PlayType,
    work_id: str,
    owner_user_id: str,
    title: str,
    summary: str,
    cover_image_src: str | None,
    theme: str | None,
    tags_json: str,
    day: int,
    now: datetime,
) -> bool:
    """Insert the work's row, its counts from the likes and daily plays already recorded;
    False when a row with its key (or its play type and work id) exists."""
    # No conflict target: racing first publications collide on the primary key and on
    # the (play_type, work_id) index; PostgreSQL only absorbs a conflict on the target
    # index and raises a unique violation for the other one.
    # Raw: VALUES hold count subqueries and ON CONFLICT has no target; the builder
    # can write neither.
    inserted = await GalleryPublicWork.raw(
        "INSERT INTO gallery_public_work (entry_id, play_type, work_id, owner_user_id, "
        "title, summary, cover_image_src, theme, tags_json, published_at, updated_at, "
        "play_count, like_count, plays_7d, plays_7d_day) "
        f"VALUES ({{}}, {{}}, {{}}, {{}}, {{}}, {{}}, {{}}, {{}}, {{}}, {{}}, {{}}, "
        f"{PLAYS}, {LIKES}, {PLAYS_SINCE}, {{}}) "
        "ON CONFLICT DO NOTHING RETURNING entry_id",
        key,
        play_type.value,
        work_id,
        owner_user_id,
        title,
        summary,
        cover_image_src,
        theme,
        tags_json,
        now,
        now,
        play_type.value,
        work_id,
        play_type.value,
        work_id,
        play_type.value,
        work_id,
        hot_window_start(day),
        day,
    )
    return bool(inserted)


async def update_published_work(
    *,
    key: str,
    title: str,
    summary: str,
    cover_image_src: str | None,
    theme: str | None,
    tags_json: str,
    now: datetime,
) -> bool:
    """Update a published work's shown columns; False when it is not published."""
    updated = (
        await GalleryPublicWork.update(
            {
                GalleryPublicWork.title: title,
                GalleryPublicWork.summary: summary,
                GalleryPublicWork.cover_image_src: cover_image_src,
                GalleryPublicWork.theme: theme,
                GalleryPublicWork.tags_json: tags_json,
                GalleryPublicWork.updated_at: now,
            }
        )
        .where(GalleryPublicWork.entry_id == key)
        .returning(GalleryPublicWork.entry_id)
    )
    return bool(updated)


async def delete_published_work(key: str) -> bool:
    """Delete the work's row; False when it was not published."""
    deleted = (
        await GalleryPublicWork.delete()
        .where(GalleryPublicWork.entry_id == key)
        .returning(GalleryPublicWork.entry_id)
    )
    return bool(deleted)


async def count_play(key: str) -> str | None:
    """One more play of the work, taking its row lock; its owner, or None when it is not
    published."""
    rows = (
        await GalleryPublicWork.update(
            {GalleryPublicWork.play_count: GalleryPublicWork.play_count + 1}
        )
        .where(GalleryPublicWork.entry_id == key)
        .returning(GalleryPublicWork.owner_user_id)
    )
    return str(rows[0]["owner_user_id"]) if rows else None


async def set_plays_7d(*, key: str, play_type: PlayType, work_id: str, day: int) -> None:
    """Recompute the work's 7-day plays from its daily stats, as of `day`."""
    # Raw: SET from a SUM subquery over the daily stats, which the builder cannot write.
    await GalleryPublicWork.raw(
        f"UPDATE gallery_public_work SET plays_7d = {PLAYS_SINCE}, plays_7d_day = {{}} "
        "WHERE entry_id = {}",
        play_type.value,
        work_id,
        hot_window_start(day),
        day,
        key,
    )


async def roll_plays_7d(day: int) -> None:
    """Recompute 7-day plays of every work whose window ends before `day`."""
    # Raw: SET from a correlated SUM subquery over the daily stats; the builder cannot.
    await GalleryPublicWork.raw(
        "UPDATE gallery_public_work SET plays_7d = ("
        "SELECT COALESCE(SUM(s.play_count), 0) FROM public_work_play_daily_stat s "
        "WHERE s.source_type = gallery_public_work.play_type "
        "AND s.profile_id = gallery_public_work.work_id "
        "AND s.played_day >= {} AND s.played_day <= {}), plays_7d_day = {} "
        "WHERE plays_7d > 0 AND plays_7d_day < {}",
        hot_window_start(day),
        day,
        day,
        day,
    )


async def like_count(key: str) -> int | None:
    """The work's like count, or None when it is not published."""
    rows = await GalleryPublicWork.select(GalleryPublicWork.like_count).where(
        GalleryPublicWork.entry_id == key
    )
    return int(rows[0]["like_count"]) if rows else None


async def step_like_count(*, key: str, liked: bool) -> int | None:
    """Move the work's like count by one (up when `liked`); the new count, or None when it
    is not published."""
    step = GalleryPublicWork.like_count + 1 if liked else GalleryPublicWork.like_count - 1
    counted = (
        await GalleryPublicWork.update({GalleryPublicWork.like_count: step})
        .where(GalleryPublicWork.entry_id == key)
        .returning(GalleryPublicWork.like_count)
    )
    return int(counted[0]["like_count"]) if counted else None
