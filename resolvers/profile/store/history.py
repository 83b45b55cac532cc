"""The browse-history statements of the profile: one row per (user, owner, profile),
upserted on each visit."""

from __future__ import annotations

from datetime import datetime

from db.tables.profile import UserBrowseHistory
from resolvers.pagination import Page, keyset_page
from resolvers.profile.model import VisitedWorld

History = UserBrowseHistory


async def upsert_visit(
    *,
    browse_history_id: str,
    user_id: str,
    owner_user_id: str,
    profile_id: str,
    world_name: str,
    subtitle: str,
    summary_text: str,
    cover_image_src: str | None,
    theme_mode: str,
    author_display_name: str,
    now: datetime,
) -> VisitedWorld:
    """Insert row `browse_history_id` visited now, or refresh the user's existing row of the
    same (owner, profile) and move it to the top (its id stays); the row as stored."""
    row = History(
        browse_history_id=browse_history_id,
        user_id=user_id,
        owner_user_id=owner_user_id,
        profile_id=profile_id,
        world_name=world_name,
        subtitle=subtitle,
        summary_text=summary_text,
        cover_image_src=cover_image_src,
        theme_mode=theme_mode,
        author_display_name=author_display_name,
        visited_at=now,
        created_at=now,
        updated_at=now,
    )
    returned = await (
        History.insert(row)
        .on_conflict(
            target=(History.user_id, History.owner_user_id, History.profile_id),
            action="DO UPDATE",
            values=[
                History.world_name,
                History.subtitle,
                History.summary_text,
                History.cover_image_src,
                History.theme_mode,
                History.author_display_name,
                History.visited_at,
                History.updated_at,
            ],
        )
        .returning(History.browse_history_id)
        .run()
    )
    stored = (
        await History.select()
        .where(History.browse_history_id == returned[0]["browse_history_id"])
        .first()
    )
    assert stored is not None
    return VisitedWorld.from_row(stored)


async def visited_worlds(
    *, user_id: str, first: int | None, after: str | None
) -> Page[VisitedWorld]:
    """The user's visited worlds, most recent visit first."""
    page = await keyset_page(
        History,
        History.visited_at,
        History.browse_history_id,
        first=first,
        after=after,
        where=History.user_id == user_id,
    )
    return Page(
        items=[VisitedWorld.from_row(row) for row in page.items],
        cursors=page.cursors,
        has_next_page=page.has_next_page,
    )


async def delete_visits(user_id: str) -> int:
    """Delete the user's whole history; how many rows there were."""
    deleted = await (
        History.delete().where(History.user_id == user_id).returning(History.browse_history_id)
    )
    return len(deleted)
