"""Per-user runtime settings: music volume (0 to 1) and platform theme; defaults if absent."""

from __future__ import annotations

import math

from db.transactions import write_transaction
from resolvers import clock
from resolvers.principal import Principal
from resolvers.profile.errors import ProfileError, ProfileErrorCode
from resolvers.profile.model import PlatformTheme, RuntimeSettings
from resolvers.profile.store import runtime as store

DEFAULT_MUSIC_VOLUME = 0.5
DEFAULT_THEME = PlatformTheme.LIGHT


async def runtime_settings(*, user_id: str) -> RuntimeSettings:
    stored = await store.settings_of(user_id)
    if stored is None:
        return RuntimeSettings(DEFAULT_MUSIC_VOLUME, DEFAULT_THEME, stored=False)
    return stored


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
    async with write_transaction():
        return await store.upsert_settings(
            user_id=user_id,
            music_volume=music_volume,
            platform_theme=platform_theme,
            new_row=RuntimeSettings(
                DEFAULT_MUSIC_VOLUME if music_volume is None else music_volume,
                platform_theme or DEFAULT_THEME,
                stored=True,
            ),
            now=clock.now(),
        )
