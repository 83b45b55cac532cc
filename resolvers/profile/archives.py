"""Save archives: one slot per (user, world key); list newest first; resume; delete.

Saving a world again overwrites its slot (same archive id) and moves it to the top.
Resuming copies the slot's state into the runtime snapshot in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from db.tables.profile import ProfileSaveArchive
from db.transactions import write_transaction
from resolvers import clock
from resolvers.errors import NotFound
from resolvers.ids import new_id
from resolvers.pagination import Page, keyset_page
from resolvers.principal import Principal
from resolvers.profile import checks
from resolvers.profile.snapshot import BOTTOM_TAB_MAX, write_snapshot

WORLD_KEY_MAX = 160
ID_MAX = 64
WORLD_TYPE_MAX = 32
NAME_MAX = 128
SUBTITLE_MAX = 256
SUMMARY_MAX = 2000
URL_MAX = 2048

# What lists return: everything but the (possibly large) state.
SUMMARY_COLUMNS = (
    ProfileSaveArchive.archive_id,
    ProfileSaveArchive.user_id,
    ProfileSaveArchive.world_key,
    ProfileSaveArchive.owner_user_id,
    ProfileSaveArchive.profile_id,
    ProfileSaveArchive.world_type,
    ProfileSaveArchive.world_name,
    ProfileSaveArchive.subtitle,
    ProfileSaveArchive.summary_text,
    ProfileSaveArchive.cover_image_src,
    ProfileSaveArchive.saved_at,
    ProfileSaveArchive.bottom_tab,
    ProfileSaveArchive.created_at,
    ProfileSaveArchive.updated_at,
)


@dataclass(frozen=True, slots=True)
class ArchiveInput:
    world_key: str
    world_name: str
    bottom_tab: str
    game_state: Any
    current_story: Any = None
    owner_user_id: str | None = None
    profile_id: str | None = None
    world_type: str | None = None
    subtitle: str = ""
    summary_text: str = ""
    cover_image_src: str | None = None


async def save_archive(*, viewer: Principal, archive: ArchiveInput) -> dict[str, Any]:
    """Write the viewer's slot for `world_key` (created, or overwritten in place)."""
    user_id = viewer.require_user()
    world_key = checks.text(
        archive.world_key, field="worldKey", maximum=WORLD_KEY_MAX, required=True
    )
    game, story = checks.state(archive.game_state, archive.current_story)
    now = clock.now()
    async with write_transaction():
        rows = await ProfileSaveArchive.raw(
            "INSERT INTO profile_save_archive (archive_id, user_id, world_key, owner_user_id, "
            "profile_id, world_type, world_name, subtitle, summary_text, cover_image_src, "
            "saved_at, bottom_tab, game_state_json, current_story_json, created_at, updated_at) "
            "VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}) "
            "ON CONFLICT (user_id, world_key) DO UPDATE SET "
            "owner_user_id = excluded.owner_user_id, profile_id = excluded.profile_id, "
            "world_type = excluded.world_type, world_name = excluded.world_name, "
            "subtitle = excluded.subtitle, summary_text = excluded.summary_text, "
            "cover_image_src = excluded.cover_image_src, saved_at = excluded.saved_at, "
            "bottom_tab = excluded.bottom_tab, game_state_json = excluded.game_state_json, "
            "current_story_json = excluded.current_story_json, updated_at = excluded.updated_at "
            "RETURNING archive_id",
            new_id(),
            user_id,
            world_key,
            checks.optional_text(archive.owner_user_id, field="ownerUserId", maximum=ID_MAX),
            checks.optional_text(archive.profile_id, field="profileId", maximum=ID_MAX),
            checks.optional_text(archive.world_type, field="worldType", maximum=WORLD_TYPE_MAX),
            checks.text(archive.world_name, field="worldName", maximum=NAME_MAX, required=True),
            checks.text(archive.subtitle, field="subtitle", maximum=SUBTITLE_MAX),
            checks.text(archive.summary_text, field="summaryText", maximum=SUMMARY_MAX),
            checks.optional_text(archive.cover_image_src, field="coverImageSrc", maximum=URL_MAX),
            now,
            checks.text(archive.bottom_tab, field="bottomTab", maximum=BOTTOM_TAB_MAX),
            game,
            story,
            now,
            now,
        )
        row = await _archive(user_id=user_id, archive_id=rows[0]["archive_id"])
    assert row is not None
    return row


async def _archive(*, user_id: str, archive_id: str) -> dict[str, Any] | None:
    return (
        await ProfileSaveArchive.select(*SUMMARY_COLUMNS)
        .where(
            (ProfileSaveArchive.archive_id == archive_id) & (ProfileSaveArchive.user_id == user_id)
        )
        .first()
    )


async def archives(*, user_id: str, first: int | None, after: str | None) -> Page[dict[str, Any]]:
    """The user's slots, most recently saved first (without their state)."""
    return await keyset_page(
        ProfileSaveArchive,
        ProfileSaveArchive.saved_at,
        ProfileSaveArchive.archive_id,
        first=first,
        after=after,
        where=ProfileSaveArchive.user_id == user_id,
        columns=SUMMARY_COLUMNS,
    )


async def resume_archive(*, viewer: Principal, archive_id: str) -> dict[str, Any]:
    """Copy one of the viewer's slots into the runtime snapshot; NOT_FOUND for others'."""
    user_id = viewer.require_user()
    async with write_transaction():
        row = (
            await ProfileSaveArchive.select(
                ProfileSaveArchive.bottom_tab,
                ProfileSaveArchive.game_state_json,
                ProfileSaveArchive.current_story_json,
            )
            .where(
                (ProfileSaveArchive.archive_id == archive_id)
                & (ProfileSaveArchive.user_id == user_id)
            )
            .first()
        )
        if row is None:
            raise NotFound("No such save archive.")
        return await write_snapshot(
            user_id=user_id,
            bottom_tab=row["bottom_tab"],
            game_state_json=_json_text(row["game_state_json"]),
            current_story_json=(
                _json_text(row["current_story_json"])
                if row["current_story_json"] is not None
                else None
            ),
        )


def _json_text(value: Any) -> str:
    # Read without load_json, JSON columns come back as their text on both engines.
    return value if isinstance(value, str) else checks.dumps(value)


async def delete_archive(*, viewer: Principal, archive_id: str) -> str:
    """Delete one of the viewer's slots; NOT_FOUND for an unknown or another user's slot."""
    user_id = viewer.require_user()
    async with write_transaction():
        deleted = await ProfileSaveArchive.raw(
            "DELETE FROM profile_save_archive WHERE archive_id = {} AND user_id = {} "
            "RETURNING archive_id",
            archive_id,
            user_id,
        )
    if not deleted:
        raise NotFound("No such save archive.")
    return archive_id
