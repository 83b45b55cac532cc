"""Moving the "hot" window: 7-day plays in the read model as days pass.

`gallery_public_work.plays_7d` is exact on the day it was computed (`plays_7d_day`): every
play recomputes it. A work nobody plays keeps yesterday's count until the window moves, so
once per Beijing day each process recomputes the rows still counting plays from an earlier
window (`roll_hot_window`, one UPDATE) before serving the feed. The memo of the day rolled
is only a shortcut: each process rolls on its own, the UPDATE is idempotent, and a missed
roll is caught by the next one.
"""

from __future__ import annotations

import logging
from datetime import datetime

from db.tables.gallery import GalleryPublicWork
from resolvers.gallery.model import beijing_day, hot_window_start

logger = logging.getLogger("genarrative.gallery")

_rolled_day: int | None = None


async def roll_hot_window(now: datetime) -> None:
    """Recompute 7-day plays of every work whose window ends before today."""
    day = beijing_day(now)
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


async def ensure_hot_window(now: datetime) -> None:
    """Roll the window once per Beijing day in this process (before reading the feed)."""
    global _rolled_day
    day = beijing_day(now)
    if _rolled_day == day:
        return
    try:
        await roll_hot_window(now)
    except Exception:  # a busy database must not fail the read: the next read rolls
        logger.exception("rolling the hot window failed")
        return
    _rolled_day = day


def forget_rolled_day() -> None:
    """Make the next read roll again (tests that move the clock or empty the tables)."""
    global _rolled_day
    _rolled_day = None
