"""The profile statements: settings, snapshot, browse history, save archives (feedback:
`feedback_store.py`).

Values arrive checked (resolvers/profile/checks.py); JSON states arrive serialized.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from db.tables.profile import (
    ProfileSaveArchive,
    RuntimeSetting,
    RuntimeSnapshot,
    UserBrowseHistory,
)
from resolvers.pagination import Page, keyset_page
from resolvers.profile.checks import dumps
from resolvers.profile.model import (
    ArchiveSlot,
    ArchiveState,
    PlatformTheme,
    RuntimeSettings,
    Snapshot,
    VisitedWorld,
)

Archive = ProfileSaveArchive
History = UserBrowseHistory

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


# Runtime settings ------------------------------------------------------------------------


async def settings_of(user_id: str) -> RuntimeSettings | None:
    row = await (
        RuntimeSetting.select(RuntimeSetting.music_volume, RuntimeSetting.platform_theme)
        .where(RuntimeSetting.user_id == user_id)
        .first()
    )
    return RuntimeSettings.from_row(row) if row is not None else None


async def upsert_settings(
    *,
    user_id: str,
    music_volume: float | None,
    platform_theme: PlatformTheme | None,
    new_row: RuntimeSettings,
    now: datetime,
) -> RuntimeSettings:
    """One statement: an existing row changes only the given settings (so concurrent partial
    updates never undo each other); a new row takes `new_row`'s values."""
    changed: list[Any] = [RuntimeSetting.updated_at]
    if music_volume is not None:
        changed.append(RuntimeSetting.music_volume)
    if platform_theme is not None:
        changed.append(RuntimeSetting.platform_theme)
    rows = await (
        RuntimeSetting.insert(
            RuntimeSetting(
                user_id=user_id,
                music_volume=new_row.music_volume,
                platform_theme=new_row.platform_theme.value,
                created_at=now,
                updated_at=now,
            )
        )
        .on_conflict(target=RuntimeSetting.user_id, action="DO UPDATE", values=changed)
        .returning(RuntimeSetting.music_volume, RuntimeSetting.platform_theme)
        .run()
    )
    return RuntimeSettings.from_row(rows[0])


# Runtime snapshot ------------------------------------------------------------------------


async def snapshot_of(user_id: str) -> Snapshot | None:
    row = await (
        RuntimeSnapshot.select()
        .where(RuntimeSnapshot.user_id == user_id)
        .output(load_json=True)
        .first()
    )
    return Snapshot.from_row(row) if row is not None else None


async def upsert_snapshot(
    *,
    user_id: str,
    bottom_tab: str,
    game_state_json: str,
    current_story_json: str | None,
    now: datetime,
) -> None:
    """Write the snapshot with version 1, or the next version of the existing one."""
    # Raw: Piccolo's on_conflict writes `version + 1` unqualified, ambiguous on PostgreSQL.
    await RuntimeSnapshot.raw(
        "INSERT INTO runtime_snapshot (user_id, version, saved_at, bottom_tab, "
        "game_state_json, current_story_json, created_at, updated_at) "
        "VALUES ({}, 1, {}, {}, {}, {}, {}, {}) ON CONFLICT (user_id) DO UPDATE SET "
        "version = runtime_snapshot.version + 1, saved_at = excluded.saved_at, "
        "bottom_tab = excluded.bottom_tab, game_state_json = excluded.game_state_json, "
        "current_story_json = excluded.current_story_json, updated_at = excluded.updated_at",
        user_id,
        now,
        bottom_tab,
        game_state_json,
        current_story_json,
        now,
        now,
    )


# Browse history --------------------------------------------------------------------------


async def upsert_visit(row: UserBrowseHistory) -> VisitedWorld:
    """Insert `row`, or refresh the user's existing row of the same (owner, profile) and move
    it to the top (its id stays); the row as stored."""
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
    deleted = await (
        History.delete().where(History.user_id == user_id).returning(History.browse_history_id)
    )
    return len(deleted)


# Save archives ---------------------------------------------------------------------------


async def upsert_archive(row: ProfileSaveArchive) -> ArchiveSlot:
    """Insert `row`, or overwrite the user's slot of the same world key in place (its id
    stays); the slot as stored, without its state."""
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
        .where((Archive.archive_id == returned[0]["archive_id"]) & (Archive.user_id == row.user_id))
        .first()
    )
    assert stored is not None
    return ArchiveSlot.from_row(stored)


async def archive_slots(*, user_id: str, first: int | None, after: str | None) -> Page[ArchiveSlot]:
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


def _json_text(value: Any) -> str:
    # Read without load_json, JSON columns come back as their text on both engines.
    return value if isinstance(value, str) else dumps(value)


async def archive_state(*, user_id: str, archive_id: str) -> ArchiveState | None:
    row = await (
        Archive.select(Archive.bottom_tab, Archive.game_state_json, Archive.current_story_json)
        .where((Archive.archive_id == archive_id) & (Archive.user_id == user_id))
        .first()
    )
    if row is None:
        return None
    story = row["current_story_json"]
    return ArchiveState(
        bottom_tab=row["bottom_tab"],
        game_state_json=_json_text(row["game_state_json"]),
        current_story_json=_json_text(story) if story is not None else None,
    )


async def delete_archive(*, user_id: str, archive_id: str) -> bool:
    deleted = await (
        Archive.delete()
        .where((Archive.archive_id == archive_id) & (Archive.user_id == user_id))
        .returning(Archive.archive_id)
    )
    return bool(deleted)
