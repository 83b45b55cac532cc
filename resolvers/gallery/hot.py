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

from resolvers.gallery.model import beijing_day
from resolvers.gallery.store.works import roll_plays_7d

logger = logging.getLogger("genarrative.gallery")

_rolled_day: int | None = None


async def roll_hot_window(now: datetime) -> None:
    """Recompute 7-day plays of every work whose window ends before today."""
    await roll_plays_7d(beijing_day(now))


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
