"""Worlds a user entered: one row per (user, owner, profile), revisits move it to the top."""

from __future__ import annotations

from dataclasses import dataclass

from db.transactions import write_transaction
from resolvers import clock
from resolvers.ids import new_id
from resolvers.pagination import Page
from resolvers.principal import Principal
from resolvers.profile import checks
from resolvers.profile.model import BrowseThemeMode, VisitedWorld
from resolvers.profile.store import history as store

ID_MAX = 64
NAME_MAX = 128
SUBTITLE_MAX = 256
SUMMARY_MAX = 2000
URL_MAX = 2048
AUTHOR_MAX = 64


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


async def record_visit(*, viewer: Principal, visit: BrowseVisit) -> VisitedWorld:
    """Upsert the (owner, profile) row of the viewer with `visited_at` = now."""
    user_id = viewer.require_user()
    now = clock.now()
    owner_user_id = checks.text(
        visit.owner_user_id, field="ownerUserId", maximum=ID_MAX, required=True
    )
    profile_id = checks.text(visit.profile_id, field="profileId", maximum=ID_MAX, required=True)
    world_name = checks.text(visit.world_name, field="worldName", maximum=NAME_MAX, required=True)
    subtitle = checks.text(visit.subtitle, field="subtitle", maximum=SUBTITLE_MAX)
    summary_text = checks.text(visit.summary_text, field="summaryText", maximum=SUMMARY_MAX)
    cover_image_src = checks.optional_text(
        visit.cover_image_src, field="coverImageSrc", maximum=URL_MAX
    )
    author_display_name = checks.text(
        visit.author_display_name, field="authorDisplayName", maximum=AUTHOR_MAX
    )
    async with write_transaction():
        return await store.upsert_visit(
            browse_history_id=new_id(),
            user_id=user_id,
            owner_user_id=owner_user_id,
            profile_id=profile_id,
            world_name=world_name,
            subtitle=subtitle,
            summary_text=summary_text,
            cover_image_src=cover_image_src,
            theme_mode=visit.theme_mode.value,
            author_display_name=author_display_name,
            now=now,
        )


async def browse_history(
    *, user_id: str, first: int | None, after: str | None
) -> Page[VisitedWorld]:
    """The user's visited worlds, most recent visit first."""
    return await store.visited_worlds(user_id=user_id, first=first, after=after)


async def clear_browse_history(*, viewer: Principal) -> int:
    """Delete every row of the viewer's history; returns how many there were."""
    user_id = viewer.require_user()
    async with write_transaction():
        return await store.delete_visits(user_id)
