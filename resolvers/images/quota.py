"""The per-user daily quota of image generations, kept as a row per (user, Beijing day).

`consume` counts one request with a single conditional upsert inside the caller's write
transaction: the row is created at 1, or incremented while `used` is below the quota.
When the statement matches nothing the quota is spent and `QUOTA_EXCEEDED` is raised, so
the transaction (and the task it was queuing) writes nothing. The statement holds the
row's lock until commit (PostgreSQL) or runs in the one write transaction (SQLite), so
concurrent requests from any number of processes never pass the quota.
"""

from __future__ import annotations

from datetime import datetime

from db.tables.ai_tasks import AiTasksImageQuota
from resolvers.analytics.calendar import day_key_of
from resolvers.images.errors import ImageError, ImageErrorCode


def quota_id(user_id: str, day_key: int) -> str:
    return f"{user_id}:{day_key}"


async def consume(*, user_id: str, quota: int, now: datetime) -> int:
    """Count one generation for today (inside a write transaction); the number used."""
    day = day_key_of(now)
    rows = await AiTasksImageQuota.raw(
        "INSERT INTO ai_tasks_image_quota (quota_id, user_id, day_key, used, updated_at) "
        "SELECT {}, {}, {}, 1, {} WHERE {} > 0 "
        "ON CONFLICT (quota_id) DO UPDATE SET used = ai_tasks_image_quota.used + 1, "
        "updated_at = excluded.updated_at WHERE ai_tasks_image_quota.used < {} "
        "RETURNING used",
        quota_id(user_id, day),
        user_id,
        day,
        now,
        quota,
        quota,
    )
    if not rows:
        raise ImageError(
            ImageErrorCode.QUOTA_EXCEEDED,
            f"You have used today's {quota} image generations; try again tomorrow (Beijing time).",
        )
    return int(rows[0]["used"])


async def used_today(*, user_id: str, now: datetime) -> int:
    """How many generations the user asked for today."""
    row = (
        await AiTasksImageQuota.select(AiTasksImageQuota.used)
        .where(AiTasksImageQuota.quota_id == quota_id(user_id, day_key_of(now)))
        .first()
    )
    return int(row["used"]) if row else 0
