"""Statements on the public read model of published worlds (`custom_world_gallery_entry`)."""

from __future__ import annotations

from datetime import datetime

from db.tables.worlds import CustomWorldGalleryEntry
from resolvers.worlds.model import ThemeMode
from resolvers.worlds.rows import GalleryEntryRow, WorldProfileRow

Entry = CustomWorldGalleryEntry


async def upsert_gallery_entry(*, profile: WorldProfileRow, now: datetime) -> None:
    """Insert or rewrite the public entry of a published world."""
    entry = CustomWorldGalleryEntry
    await entry.insert(
        entry(
            profile_id=profile.profile_id,
            owner_user_id=profile.owner_user_id,
            public_work_code=profile.public_work_code,
            author_public_user_code=profile.author_public_user_code or "",
            author_display_name=profile.author_display_name,
            world_name=profile.world_name,
            subtitle=profile.subtitle,
            summary_text=profile.summary_text,
            cover_image_src=profile.cover_image_src,
            theme_mode=profile.theme_mode,
            playable_npc_count=profile.playable_npc_count,
            landmark_count=profile.landmark_count,
            published_at=profile.published_at,
            updated_at=now,
        )
    ).on_conflict(
        target=entry.profile_id,
        action="DO UPDATE",
        values=[
            entry.public_work_code,
            entry.author_public_user_code,
            entry.author_display_name,
            entry.world_name,
            entry.subtitle,
            entry.summary_text,
            entry.cover_image_src,
            entry.theme_mode,
            entry.playable_npc_count,
            entry.landmark_count,
            entry.published_at,
            entry.updated_at,
        ],
    )


async def delete_gallery_entry(profile_id: str) -> None:
    """Remove a world's public entry."""
    await Entry.delete().where(Entry.profile_id == profile_id)


async def gallery_entry_by_code(public_work_code: str) -> GalleryEntryRow | None:
    """The public entry with this work code."""
    row = await Entry.select().where(Entry.public_work_code == public_work_code).first()
    return GalleryEntryRow.from_row(row) if row is not None else None


async def gallery_page(
    *, theme: ThemeMode | None, after: tuple[datetime, str] | None, limit: int
) -> list[GalleryEntryRow]:
    """Up to `limit` public entries (of `theme`, when given) after the keyset position
    `after`, newest publication first."""
    query = Entry.select()
    if theme is not None:
        query = query.where(Entry.theme_mode == theme.value)
    if after is not None:
        at, profile_id = after
        query = query.where(
            (Entry.published_at < at)
            | ((Entry.published_at == at) & (Entry.profile_id < profile_id))
        )
    rows = await query.order_by(Entry.published_at, Entry.profile_id, ascending=False).limit(limit)
    return [GalleryEntryRow.from_row(row) for row in rows]
