"""The one current runtime snapshot per user: saved with a version that counts saves."""

from __future__ import annotations

from typing import Any

from db.transactions import write_transaction
from resolvers import clock
from resolvers.principal import Principal
from resolvers.profile import checks
from resolvers.profile.model import Snapshot
from resolvers.profile.store import runtime as store

BOTTOM_TAB_MAX = 32


async def snapshot_of(user_id: str) -> Snapshot | None:
    return await store.snapshot_of(user_id)


async def write_snapshot(
    *, user_id: str, bottom_tab: str, game_state_json: str, current_story_json: str | None
) -> Snapshot:
    """Upsert the snapshot, version + 1 (joins the caller's transaction)."""
    async with write_transaction():
        await store.upsert_snapshot(
            user_id=user_id,
            bottom_tab=bottom_tab,
            game_state_json=game_state_json,
            current_story_json=current_story_json,
            now=clock.now(),
        )
        snapshot = await store.snapshot_of(user_id)
    assert snapshot is not None
    return snapshot


async def save_snapshot(
    *, viewer: Principal, bottom_tab: str, game_state: Any, current_story: Any = None
) -> Snapshot:
    """Replace the viewer's snapshot (game state: JSON object or array)."""
    user_id = viewer.require_user()
    tab = checks.text(bottom_tab, field="bottomTab", maximum=BOTTOM_TAB_MAX)
    game, story = checks.state(game_state, current_story)
    return await write_snapshot(
        user_id=user_id, bottom_tab=tab, game_state_json=game, current_story_json=story
    )
