"""The save-archive statements of the profile: one slot per (user, world key); lists never
load the (possibly large) state."""

from __future__ import annotations

from datetime import datetime

from db.tables.profile import ProfileSaveArchive
from resolvers.pagination import Page, keyset_page
from resolvers.profile.model import ArchiveSlot, ArchiveState

Archive = ProfileSaveArchive

# What archive lists return: everything but the (possibly large) state.
ARCHIVE_SUMMARY = (
    Archive.archive_id,
    Archive.user_id,
    Archive.world_key,
    Archive.owner_user_id,
    Archive.profile_id,
    Archive.world_type,
    Archive.world_name,
    Archive.subtitle,
    Archive.summary_text,
    Archive.cover_image_src,
    Archive.saved_at,
    Archive.bottom_tab,
    Archive.created_at,
    Archive.updated_at,
)


async def upsert_archive(
    *,
    archive_id: str,
    user_id: str,
    world_key: str,
    owner_user_id: str | None,
    profile_id: str | None,
    world_type: str | None,
    world_name: str,
    subtitle: str,
    summary_text: str,
    cover_image_src: str | None,
    bottom_tab: str,
    game_state_json: str,
    current_story_json: str | None,
    now: datetime,
) -> ArchiveSlot:
    """Insert slot `archive_id`, or overwrite the user's slot of the same world key in place
    (its id stays); the slot as stored, without its state."""
    row = Archive(
        archive_id=archive_id,
        user_id=user_id,
        world_key=world_key,
        owner_user_id=owner_user_id,
        profile_id=profile_id,
        world_type=world_type,
        world_name=world_name,
        subtitle=subtitle,
        summary_text=summary_text,
        cover_image_src=cover_image_src,
        saved_at=now,
        bottom_tab=bottom_tab,
        game_state_json=game_state_json,
        current_story_json=current_story_json,
        created_at=now,
        updated_at=now,
    )
    returned = await (
        Archive.insert(row)
        .on_conflict(
            target=(Archive.user_id, Archive.world_key),
            action="DO UPDATE",
            values=[
                Archive.owner_user_id,
                Archive.profile_id,
                Archive.world_type,
                Archive.world_name,
                Archive.subtitle,
                Archive.summary_text,
                Archive.cover_image_src,
                Archive.saved_at,
                Archive.bottom_tab,
                Archive.game_state_json,
                Archive.current_story_json,
                Archive.updated_at,
            ],
        )
        .returning(Archive.archive_id)
        .run()
    )
    stored = await (
        Archive.select(*ARCHIVE_SUMMARY)
        .where((Archive.archive_id == returned[0]["archive_id"]) & (Archive.user_id == user_id))
        .first()
    )
    assert stored is not None
    return ArchiveSlot.from_row(stored)


async def archive_slots(*, user_id: str, first: int | None, after: str | None) -> Page[ArchiveSlot]:
    """The user's slots, most recently saved first, without their state."""
    page = await keyset_page(
        Archive,
        Archive.saved_at,
        Archive.archive_id,
        first=first,
        after=after,
        where=Archive.user_id == user_id,
        columns=ARCHIVE_SUMMARY,
    )
    return Page(
        items=[ArchiveSlot.from_row(row) for row in page.items],
        cursors=page.cursors,
        has_next_page=page.has_next_page,
    )


async def archive_state(*, user_id: str, archive_id: str) -> ArchiveState | None:
    """The state of one of the user's slots, as stored (None for another user's)."""
    row = await (
        Archive.select(Archive.bottom_tab, Archive.game_state_json, Archive.current_story_json)
        .where((Archive.archive_id == archive_id) & (Archive.user_id == user_id))
        .first()
    )
    return ArchiveState.from_row(row) if row is not None else None


async def delete_archive(*, user_id: str, archive_id: str) -> bool:
    """Delete one of the user's slots; False when they have no such slot."""
    deleted = await (
        Archive.delete()
        .where((Archive.archive_id == archive_id) & (Archive.user_id == user_id))
        .returning(Archive.archive_id)
    )
    return bool(deleted)
