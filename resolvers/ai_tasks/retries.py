"""Retrying database work that failed for a transient reason, with bounded backoff.

A connection the server terminated, a serialization failure or a deadlock, SQLite's lock
held too long (`db.errors.is_transient`): the same work usually succeeds a moment later
on a fresh connection. The worker and the chunk writer retry such failures a few times,
0.05 s, 0.1 s, … up to 2 s apart (about 5 s in all), then let the error through: their
callers then leave the task to another attempt rather than dropping it.

Retried work must be safe to run twice, since a commit whose answer was lost may have
happened: every AI-task write is conditional (a repeated chunk id is a no-op, a
transition already made is refused and the caller re-reads the state).
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

from db.errors import is_transient

logger = logging.getLogger("genarrative.ai_tasks.retries")

T = TypeVar("T")

ATTEMPTS = 8
FIRST_DELAY_SECONDS = 0.05
MAX_DELAY_SECONDS = 2.0


async def retrying(work: Callable[[], Awaitable[T]], *, what: str, attempts: int = ATTEMPTS) -> T:
    """`await work()`, again after a transient database error (at most `attempts` runs);
    any other error, and the last transient one, is raised."""
    delay = FIRST_DELAY_SECONDS
    for attempt in range(1, attempts + 1):
        try:
            return await work()
        except Exception as error:
            if attempt >= attempts or not is_transient(error):
                raise
            # One line per retry, no traceback: a storm of terminated connections must not
            # bury the log in identical stacks.
            logger.warning(
                "%s failed (%s: %s); retry %d of %d",
                what,
                type(error).__name__,
                str(error).strip()[:200],
                attempt,
                attempts - 1,
            )
            # Jittered, so writers that failed together do not retry together.
            await asyncio.sleep(delay * random.uniform(0.5, 1.0))
            delay = min(delay * 2, MAX_DELAY_SECONDS)
    raise AssertionError("unreachable")  # the loop returns or raises
