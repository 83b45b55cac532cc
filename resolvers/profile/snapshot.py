"""The one current runtime snapshot per user: saved with a version that counts saves."""

from __future__ import annotations

from typing import Any

from db.tables.profile import RuntimeSnapshot
from db.transactions import write_transaction
from resolvers import clock
from resolvers.principal import Principal
from resolvers.profile import checks

BOTTOM_TAB_MAX = 32


async def snapshot_of(user_id: str) -> dict[str, Any] | None:
    return (
        await RuntimeSnapshot.select()
        .where(RuntimeSnapshot.user_id == user_id)
        .output(load_json=True)
        .first()
    )


async def write_snapshot(
    *, user_id: str, bottom_tab: str, game_state_json: str, current_story_json: str | None
) -> dict[str, Any]:
    """Upsert the snapshot, version + 1 (joins the caller's transaction)."""
    now = clock.now()
    async with write_transaction():
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
        row = await snapshot_of(user_id)
    assert row is not None
    return row


async def save_snapshot(
    *, viewer: Principal, bottom_tab: str, game_state: Any, current_story: Any = None
) -> dict[str, Any]:
    """Replace the viewer's snapshot (game state: JSON object or array)."""
    user_id = viewer.require_user()
    tab = checks.text(bottom_tab, field="bottomTab", maximum=BOTTOM_TAB_MAX)
    game, story = checks.state(game_state, current_story)
    return await write_snapshot(
        user_id=user_id, bottom_tab=tab, game_state_json=game, current_story_json=story
    )
