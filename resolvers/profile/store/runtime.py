"""The runtime statements of the profile: the user's settings row and their one snapshot
(resume point), each written by a single upsert so concurrent writes never undo each other.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from db.tables.profile import RuntimeSetting, RuntimeSnapshot
from resolvers.profile.model import PlatformTheme, RuntimeSettings, Snapshot

# Runtime settings ------------------------------------------------------------------------


async def settings_of(user_id: str) -> RuntimeSettings | None:
    """The user's stored settings, if any."""
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
    """The user's snapshot, JSON decoded, if any."""
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
