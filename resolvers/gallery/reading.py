"""Reading the read model: rows by key, the viewer's likes, exact 7-day plays (batched)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from piccolo.query.functions import Sum
from piccolo.querystring import QueryString

from db.tables.gallery import GalleryPublicWork, PublicWorkLike, PublicWorkPlayDailyStat
from resolvers.auth.store.fragments import AUTHOR_COLUMNS, user_join
from resolvers.gallery.model import beijing_day, entry_key, hot_window_start
from resolvers.gallery.play_types import PlayType
from resolvers.gallery.rows import GalleryWorkRow, exact_plays_7d

# The read model's columns as the feed reads them (tags as JSON text, decoded by callers).
WORK_COLUMNS = (
    "g.entry_id, g.play_type, g.work_id, g.owner_user_id, g.title, g.summary, "
    "g.cover_image_src, g.theme, g.tags_json, g.published_at, g.updated_at, g.play_count, "
    "g.like_count, g.plays_7d, g.plays_7d_day"
)
Stat = PublicWorkPlayDailyStat
# Public author columns joined onto feed rows (never private ones).


def _placeholders(count: int) -> str:
    return ", ".join("{}" for _ in range(count))


async def works_by_keys(entry_ids: list[str]) -> dict[str, GalleryWorkRow]:
    """Published works (read-model rows with their authors) by `{play_type}:{work_id}`."""
    keys = sorted(set(entry_ids))
    if not keys:
        return {}
    # Raw: joins auth's user table through its fragment (another domain, no foreign key).
    rows = await GalleryPublicWork.raw(
        f"SELECT {WORK_COLUMNS}, {AUTHOR_COLUMNS} FROM gallery_public_work g "
        f"{user_join('g.owner_user_id')} "
        f"WHERE g.entry_id IN ({_placeholders(len(keys))})",
        *keys,
    )
    return {row["entry_id"]: GalleryWorkRow.from_row(row) for row in rows}


async def work_row(*, play_type: PlayType, work_id: str) -> GalleryWorkRow | None:
    """One published work's read-model row (with author columns), or None."""
    key = entry_key(play_type, work_id)
    return (await works_by_keys([key])).get(key)


async def work_row_as_stored(entry_id: str) -> Any | None:
    """One published work's read-model row with its author columns, as the engine returns
    it (the fast path reads it straight: schema/plan/public_work.py), or None. One
    statement through the engine, no query object, no copy of the row."""
    rows = await GalleryPublicWork._meta.db.run_querystring(
        QueryString(
            f"SELECT {WORK_COLUMNS}, {AUTHOR_COLUMNS} FROM gallery_public_work g "
            f"{user_join('g.owner_user_id')} WHERE g.entry_id = {{}}",
            entry_id,
        )
    )
    return rows[0] if rows else None


async def liked_keys(*, user_id: str, entry_ids: list[str]) -> set[str]:
    """Which of these works (`{play_type}:{work_id}`) the user likes: one statement."""
    keys = sorted(set(entry_ids))
    if not keys:
        return set()
    like_ids = [f"{key}:{user_id}" for key in keys]
    rows = await PublicWorkLike.select(PublicWorkLike.like_id).where(
        PublicWorkLike.like_id.is_in(like_ids)
    )
    prefix = len(user_id) + 1
    return {row["like_id"][:-prefix] for row in rows}


async def plays_7d_of(*, entry_ids: list[str], now: datetime) -> dict[str, int]:
    """Exact plays over the 7 Beijing days ending today, per work: one statement."""
    keys = sorted(set(entry_ids))
    if not keys:
        return {}
    day = beijing_day(now)
    types = sorted({key.split(":", 1)[0] for key in keys})
    work_ids = sorted({key.split(":", 1)[1] for key in keys})
    rows = (
        await Stat.select(Stat.source_type, Stat.profile_id, Sum(Stat.play_count, alias="plays"))
        .where(
            Stat.source_type.is_in(types)
            & Stat.profile_id.is_in(work_ids)
            & (Stat.played_day >= hot_window_start(day))
            & (Stat.played_day <= day)
        )
        .group_by(Stat.source_type, Stat.profile_id)
    )
    found = {f"{row['source_type']}:{row['profile_id']}": int(row["plays"]) for row in rows}
    return {key: found.get(key, 0) for key in keys}


def stored_plays_7d(row: Mapping[str, Any], *, today: int) -> int | None:
    """A raw feed row's 7-day plays when exact today (`exact_plays_7d`); the fast path
    shapes raw rows (schema/plan/rows.py)."""
    return exact_plays_7d(row["plays_7d"], row["plays_7d_day"], today=today)
