"""Per-user runtime settings: music volume (0 to 1) and platform theme; defaults if absent."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from db.tables.profile import RuntimeSetting
from db.transactions import write_transaction
from resolvers import clock
from resolvers.principal import Principal
from resolvers.profile.errors import ProfileError, ProfileErrorCode

DEFAULT_MUSIC_VOLUME = 0.5


class PlatformTheme(StrEnum):
    LIGHT = "light"
    DARK = "dark"


DEFAULT_THEME = PlatformTheme.LIGHT


@dataclass(frozen=True, slots=True)
class RuntimeSettings:
    music_volume: float
    platform_theme: PlatformTheme
    stored: bool


def _volume(value: float) -> float:
    # Stored as REAL (f32 in the catalog): round away float noise on the way out.
    return round(float(value), 4)


async def runtime_settings(*, user_id: str) -> RuntimeSettings:
    row = await RuntimeSetting.select().where(RuntimeSetting.user_id == user_id).first()
    if row is None:
        return RuntimeSettings(DEFAULT_MUSIC_VOLUME, DEFAULT_THEME, stored=False)
    return RuntimeSettings(
        music_volume=_volume(row["music_volume"]),
        platform_theme=PlatformTheme(row["platform_theme"]),
        stored=True,
    )


async def update_runtime_settings(
    *,
    viewer: Principal,
    music_volume: float | None = None,
    platform_theme: PlatformTheme | None = None,
) -> RuntimeSettings:
    """Change the given settings; the others keep their value (or default)."""
    user_id = viewer.require_user()
    if music_volume is not None and (not math.isfinite(music_volume) or not 0 <= music_volume <= 1):
        raise ProfileError(
            ProfileErrorCode.VOLUME_OUT_OF_RANGE,
            "The music volume is between 0 and 1.",
            field="musicVolume",
        )
    now = clock.now()
    async with write_transaction():
        # One statement: concurrent partial updates never undo each other.
        rows = await RuntimeSetting.raw(
            "INSERT INTO runtime_setting (user_id, music_volume, platform_theme, created_at, "
            "updated_at) VALUES ({}, {}, {}, {}, {}) ON CONFLICT (user_id) DO UPDATE SET "
            "music_volume = CASE WHEN {} THEN excluded.music_volume "
            "ELSE runtime_setting.music_volume END, "
            "platform_theme = CASE WHEN {} THEN excluded.platform_theme "
            "ELSE runtime_setting.platform_theme END, "
            "updated_at = excluded.updated_at RETURNING music_volume, platform_theme",
            user_id,
            DEFAULT_MUSIC_VOLUME if music_volume is None else music_volume,
            (platform_theme or DEFAULT_THEME).value,
            now,
            now,
            music_volume is not None,
            platform_theme is not None,
        )
    return RuntimeSettings(
        _volume(rows[0]["music_volume"]), PlatformTheme(rows[0]["platform_theme"]), stored=True
    )
