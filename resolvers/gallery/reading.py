"""Reading the read model: rows by key, the viewer's likes, exact 7-day plays (batched)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from resolvers.gallery.model import beijing_day, entry_key, hot_window_start
from resolvers.gallery.play_types import PlayType
from resolvers.gallery.rows import GalleryWorkRow, exact_plays_7d
from resolvers.gallery.store import likes, plays
from resolvers.gallery.store import reading as store


async def works_by_keys(entry_ids: list[str]) -> dict[str, GalleryWorkRow]:
    """Published works (read-model rows with their authors) by `{play_type}:{work_id}`."""
    keys = sorted(set(entry_ids))
    if not keys:
        return {}
    return await store.works_by_keys(keys)


async def work_row(*, play_type: PlayType, work_id: str) -> GalleryWorkRow | None:
    """One published work's read-model row (with author columns), or None."""
    key = entry_key(play_type, work_id)
    return (await works_by_keys([key])).get(key)


async def liked_keys(*, user_id: str, entry_ids: list[str]) -> set[str]:
    """Which of these works (`{play_type}:{work_id}`) the user likes: one statement."""
    keys = sorted(set(entry_ids))
    if not keys:
        return set()
    like_ids = [f"{key}:{user_id}" for key in keys]
    prefix = len(user_id) + 1
    return {like_id[:-prefix] for like_id in await likes.existing_like_ids(like_ids)}


async def plays_7d_of(*, entry_ids: list[str], now: datetime) -> dict[str, int]:
    """Exact plays over the 7 Beijing days ending today, per work: one statement."""
    keys = sorted(set(entry_ids))
    if not keys:
        return {}
    day = beijing_day(now)
    types = sorted({key.split(":", 1)[0] for key in keys})
    work_ids = sorted({key.split(":", 1)[1] for key in keys})
    found = await plays.plays_between(
        types=types, work_ids=work_ids, first_day=hot_window_start(day), last_day=day
    )
    return {key: found.get(key, 0) for key in keys}


def stored_plays_7d(row: Mapping[str, Any], *, today: int) -> int | None:
    """A raw feed row's 7-day plays when exact today (`exact_plays_7d`); the fast path
    shapes raw rows (schema/plan/rows.py)."""
    return exact_plays_7d(row["plays_7d"], row["plays_7d_day"], today=today)
