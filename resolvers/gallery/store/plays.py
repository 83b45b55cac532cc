"""The statements on `public_work_play_daily_stat`: one row per (work, Beijing day)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from piccolo.query.functions import Sum

from db.tables.gallery import PublicWorkPlayDailyStat as Stat
from resolvers.gallery.play_types import PlayType


async def add_daily_play(
    *, stat_id: str, play_type: PlayType, owner_user_id: str, work_id: str, day: int, now: datetime
) -> None:
    """One more play of the work on `day` (its row created at one)."""
    # Raw: on_conflict writes `play_count + 1` unqualified (ambiguous on PostgreSQL).
    await Stat.raw(
        "INSERT INTO public_work_play_daily_stat (stat_id, source_type, owner_user_id, "
        "profile_id, played_day, play_count, updated_at) VALUES ({}, {}, {}, {}, {}, 1, {}) "
        "ON CONFLICT (stat_id) DO UPDATE SET "
        "play_count = public_work_play_daily_stat.play_count + 1, "
        "updated_at = excluded.updated_at",
        stat_id,
        play_type.value,
        owner_user_id,
        work_id,
        day,
        now,
    )


async def plays_between(
    *, types: Sequence[str], work_ids: Sequence[str], first_day: int, last_day: int
) -> dict[str, int]:
    """Summed daily plays from `first_day` to `last_day` per `{play_type}:{work_id}` that
    has any, over every pair of `types` and `work_ids` (one statement)."""
    rows = (
        await Stat.select(Stat.source_type, Stat.profile_id, Sum(Stat.play_count, alias="plays"))
        .where(
            Stat.source_type.is_in(list(types))
            & Stat.profile_id.is_in(list(work_ids))
            & (Stat.played_day >= first_day)
            & (Stat.played_day <= last_day)
        )
        .group_by(Stat.source_type, Stat.profile_id)
    )
    return {f"{row['source_type']}:{row['profile_id']}": int(row["plays"]) for row in rows}
