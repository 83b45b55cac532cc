"""The played-works statements of the profile: one `profile_played_world` row per (user,
`{play_type}:{work_id}`), upserted when a PLAY run starts and updated when it ends (the runs
domain calls these inside the run's transaction)."""

from __future__ import annotations

from datetime import datetime

from db.tables.profile import ProfilePlayedWorld
from resolvers.pagination import Page, keyset_page
from resolvers.profile.model import PlayedWorkRow


async def played_works_of(
    *, user_id: str, first: int | None = None, after: str | None = None
) -> Page[PlayedWorkRow]:
    """The works the user played in PLAY runs, most recently played first."""
    page = await keyset_page(
        ProfilePlayedWorld,
        ProfilePlayedWorld.last_played_at,
        ProfilePlayedWorld.played_world_id,
        first=first,
        after=after,
        where=ProfilePlayedWorld.user_id == user_id,
    )
    return Page(
        items=[PlayedWorkRow.from_row(row) for row in page.items],
        cursors=page.cursors,
        has_next_page=page.has_next_page,
    )


async def record_played(
    *,
    user_id: str,
    world_key: str,
    owner_user_id: str,
    profile_id: str,
    world_type: str,
    title: str,
    subtitle: str,
    played_world_id: str,
    now: datetime,
) -> None:
    """The user played the work now: the row is created (first and last played now) or
    takes the work's owner and titles and the later of the two last-played times."""
    # Raw: the conditional `CASE` over the existing row's column in `DO UPDATE`.
    await ProfilePlayedWorld.raw(
        "INSERT INTO profile_played_world (played_world_id, user_id, world_key, "
        "owner_user_id, profile_id, world_type, world_title, world_subtitle, "
        "first_played_at, last_played_at, last_observed_play_time_ms) "
        "VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, 0) "
        "ON CONFLICT (user_id, world_key) DO UPDATE SET "
        "owner_user_id = excluded.owner_user_id, world_title = excluded.world_title, "
        "world_subtitle = excluded.world_subtitle, last_played_at = CASE WHEN "
        "profile_played_world.last_played_at < excluded.last_played_at "
        "THEN excluded.last_played_at ELSE profile_played_world.last_played_at END",
        played_world_id,
        user_id,
        world_key,
        owner_user_id,
        profile_id,
        world_type,
        title,
        subtitle,
        now,
        now,
    )


async def record_play_time(
    *, user_id: str, world_key: str, elapsed_ms: int, ended: datetime
) -> None:
    """A run of the work ended at `ended` after `elapsed_ms`: the row keeps that play time
    and the later of its last-played time and `ended`."""
    # Raw: `CASE` comparing the column with a parameter, which the builder cannot write.
    await ProfilePlayedWorld.raw(
        "UPDATE profile_played_world SET last_observed_play_time_ms = {}, "
        "last_played_at = CASE WHEN last_played_at < {} THEN {} ELSE last_played_at END "
        "WHERE user_id = {} AND world_key = {}",
        elapsed_ms,
        ended,
        ended,
        user_id,
        world_key,
    )
