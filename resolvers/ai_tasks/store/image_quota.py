"""The statements of the image-generation quota table (`ai_tasks_image_quota`, one row per
(user, Beijing day)); the images domain applies the quota through these
(`resolvers/images/quota.py`)."""

from __future__ import annotations

from datetime import datetime

from db.tables.ai_tasks import AiTasksImageQuota


async def count_image_request(
    *, quota_id: str, user_id: str, day_key: int, quota: int, now: datetime
) -> int | None:
    """Count one request in row `quota_id` below `quota`; the number used, None if spent."""
    # Raw: a conditional `INSERT … SELECT … WHERE` with a guarded `DO UPDATE … WHERE`.
    rows = await AiTasksImageQuota.raw(
        "INSERT INTO ai_tasks_image_quota (quota_id, user_id, day_key, used, updated_at) "
        "SELECT {}, {}, {}, 1, {} WHERE {} > 0 "
        "ON CONFLICT (quota_id) DO UPDATE SET used = ai_tasks_image_quota.used + 1, "
        "updated_at = excluded.updated_at WHERE ai_tasks_image_quota.used < {} "
        "RETURNING used",
        quota_id,
        user_id,
        day_key,
        now,
        quota,
        quota,
    )
    return int(rows[0]["used"]) if rows else None


async def image_requests_used(quota_id: str) -> int:
    """How many requests row `quota_id` counted (0 without the row)."""
    row = (
        await AiTasksImageQuota.select(AiTasksImageQuota.used)
        .where(AiTasksImageQuota.quota_id == quota_id)
        .first()
    )
    return int(row["used"]) if row else 0
