"""Worlds a user entered: one row per (user, owner, profile), revisits move it to the top."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from db.tables.profile import UserBrowseHistory
from db.transactions import write_transaction
from resolvers import clock
from resolvers.ids import new_id
from resolvers.pagination import Page, keyset_page
from resolvers.principal import Principal
from resolvers.profile import checks

ID_MAX = 64
NAME_MAX = 128
SUBTITLE_MAX = 256
SUMMARY_MAX = 2000
URL_MAX = 2048
AUTHOR_MAX = 64


class BrowseThemeMode(StrEnum):
    LIGHT = "light"
    DARK = "dark"


@dataclass(frozen=True, slots=True)
class BrowseVisit:
    owner_user_id: str
    profile_id: str
    world_name: str
    subtitle: str = ""
    summary_text: str = ""
    cover_image_src: str | None = None
    theme_mode: BrowseThemeMode = BrowseThemeMode.LIGHT
    author_display_name: str = ""


async def record_visit(*, viewer: Principal, visit: BrowseVisit) -> dict[str, Any]:
    """Upsert the (owner, profile) row of the viewer with `visited_at` = now."""
    user_id = viewer.require_user()
    values = (
        checks.text(visit.owner_user_id, field="ownerUserId", maximum=ID_MAX, required=True),
        checks.text(visit.profile_id, field="profileId", maximum=ID_MAX, required=True),
        checks.text(visit.world_name, field="worldName", maximum=NAME_MAX, required=True),
        checks.text(visit.subtitle, field="subtitle", maximum=SUBTITLE_MAX),
        checks.text(visit.summary_text, field="summaryText", maximum=SUMMARY_MAX),
        checks.optional_text(visit.cover_image_src, field="coverImageSrc", maximum=URL_MAX),
        visit.theme_mode.value,
        checks.text(visit.author_display_name, field="authorDisplayName", maximum=AUTHOR_MAX),
    )
    now = clock.now()
    async with write_transaction():
        rows = await UserBrowseHistory.raw(
            "INSERT INTO user_browse_history (browse_history_id, user_id, owner_user_id, "
            "profile_id, world_name, subtitle, summary_text, cover_image_src, theme_mode, "
            "author_display_name, visited_at, created_at, updated_at) "
            "VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}) "
            "ON CONFLICT (user_id, owner_user_id, profile_id) DO UPDATE SET "
            "world_name = excluded.world_name, subtitle = excluded.subtitle, "
            "summary_text = excluded.summary_text, cover_image_src = excluded.cover_image_src, "
            "theme_mode = excluded.theme_mode, author_display_name = excluded.author_display_name, "
            "visited_at = excluded.visited_at, updated_at = excluded.updated_at "
            "RETURNING browse_history_id",
            new_id(),
            user_id,
            *values,
            now,
            now,
            now,
        )
        row = (
            await UserBrowseHistory.select()
            .where(UserBrowseHistory.browse_history_id == rows[0]["browse_history_id"])
            .first()
        )
    assert row is not None
    return row


async def browse_history(
    *, user_id: str, first: int | None, after: str | None
) -> Page[dict[str, Any]]:
    """The user's visited worlds, most recent visit first."""
    return await keyset_page(
        UserBrowseHistory,
        UserBrowseHistory.visited_at,
        UserBrowseHistory.browse_history_id,
        first=first,
        after=after,
        where=UserBrowseHistory.user_id == user_id,
    )


async def clear_browse_history(*, viewer: Principal) -> int:
    """Delete every row of the viewer's history; returns how many there were."""
    user_id = viewer.require_user()
    async with write_transaction():
        deleted = await UserBrowseHistory.raw(
            "DELETE FROM user_browse_history WHERE user_id = {} RETURNING browse_history_id",
            user_id,
        )
    return len(deleted)
