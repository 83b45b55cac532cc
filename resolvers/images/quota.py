"""The per-user daily quota of image generations, kept as a row per (user, Beijing day).

`consume` counts one request with a single conditional upsert inside the caller's write
transaction: the row is created at 1, or incremented while `used` is below the quota.
When the statement matches nothing the quota is spent and `QUOTA_EXCEEDED` is raised, so
the transaction (and the task it was queuing) writes nothing. The statement holds the
row's lock until commit (PostgreSQL) or runs in the one write transaction (SQLite), so
concurrent requests from any number of processes never pass the quota. The table is the
AI tasks' (`resolvers/ai_tasks/store/image_quota.py` holds its statements).
"""

from __future__ import annotations

from datetime import datetime

from resolvers.ai_tasks.store.image_quota import count_image_request, image_requests_used
from resolvers.analytics.calendar import day_key_of
from resolvers.images.errors import ImageError, ImageErrorCode


def quota_id(user_id: str, day_key: int) -> str:
    return f"{user_id}:{day_key}"


async def consume(*, user_id: str, quota: int, now: datetime) -> int:
    """Count one generation for today (inside a write transaction); the number used."""
    day = day_key_of(now)
    used = await count_image_request(
        quota_id=quota_id(user_id, day), user_id=user_id, day_key=day, quota=quota, now=now
    )
    if used is None:
        raise ImageError(
            ImageErrorCode.QUOTA_EXCEEDED,
            f"You have used today's {quota} image generations; try again tomorrow (Beijing time).",
        )
    return used


async def used_today(*, user_id: str, now: datetime) -> int:
    """How many generations the user asked for today."""
    return await image_requests_used(quota_id(user_id, day_key_of(now)))
