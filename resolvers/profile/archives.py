"""Save archives: one slot per (user, world key); list newest first; resume; delete.

Saving a world again overwrites its slot (same archive id) and moves it to the top.
Resuming copies the slot's state into the runtime snapshot in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from db.transactions import write_transaction
from resolvers import clock
from resolvers.errors import NotFound
from resolvers.ids import new_id
from resolvers.pagination import Page
from resolvers.principal import Principal
from resolvers.profile import checks
from resolvers.profile.model import ArchiveSlot, Snapshot
from resolvers.profile.snapshot import BOTTOM_TAB_MAX, write_snapshot
from resolvers.profile.store import archives as store

WORLD_KEY_MAX = 160
ID_MAX = 64
WORLD_TYPE_MAX = 32
NAME_MAX = 128
SUBTITLE_MAX = 256
SUMMARY_MAX = 2000
URL_MAX = 2048


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


async def save_archive(*, viewer: Principal, archive: ArchiveInput) -> ArchiveSlot:
    """Write the viewer's slot for `world_key` (created, or overwritten in place)."""
    user_id = viewer.require_user()
    world_key = checks.text(
        archive.world_key, field="worldKey", maximum=WORLD_KEY_MAX, required=True
    )
    game, story = checks.state(archive.game_state, archive.current_story)
    now = clock.now()
    owner_user_id = checks.optional_text(archive.owner_user_id, field="ownerUserId", maximum=ID_MAX)
    profile_id = checks.optional_text(archive.profile_id, field="profileId", maximum=ID_MAX)
    world_type = checks.optional_text(archive.world_type, field="worldType", maximum=WORLD_TYPE_MAX)
    world_name = checks.text(archive.world_name, field="worldName", maximum=NAME_MAX, required=True)
    subtitle = checks.text(archive.subtitle, field="subtitle", maximum=SUBTITLE_MAX)
    summary_text = checks.text(archive.summary_text, field="summaryText", maximum=SUMMARY_MAX)
    cover_image_src = checks.optional_text(
        archive.cover_image_src, field="coverImageSrc", maximum=URL_MAX
    )
    bottom_tab = checks.text(archive.bottom_tab, field="bottomTab", maximum=BOTTOM_TAB_MAX)
    async with write_transaction():
        return await store.upsert_archive(
            archive_id=new_id(),
            user_id=user_id,
            world_key=world_key,
            owner_user_id=owner_user_id,
            profile_id=profile_id,
            world_type=world_type,
            world_name=world_name,
            subtitle=subtitle,
            summary_text=summary_text,
            cover_image_src=cover_image_src,
            bottom_tab=bottom_tab,
            game_state_json=game,
            current_story_json=story,
            now=now,
        )


async def archives(*, user_id: str, first: int | None, after: str | None) -> Page[ArchiveSlot]:
    """The user's slots, most recently saved first (without their state)."""
    return await store.archive_slots(user_id=user_id, first=first, after=after)


async def resume_archive(*, viewer: Principal, archive_id: str) -> Snapshot:
    """Copy one of the viewer's slots into the runtime snapshot; NOT_FOUND for others'."""
    user_id = viewer.require_user()
    async with write_transaction():
        state = await store.archive_state(user_id=user_id, archive_id=archive_id)
        if state is None:
            raise NotFound("No such save archive.")
        return await write_snapshot(
            user_id=user_id,
            bottom_tab=state.bottom_tab,
            game_state_json=state.game_state_json,
            current_story_json=state.current_story_json,
        )


async def delete_archive(*, viewer: Principal, archive_id: str) -> str:
    """Delete one of the viewer's slots; NOT_FOUND for an unknown or another user's slot."""
    user_id = viewer.require_user()
    async with write_transaction():
        deleted = await store.delete_archive(user_id=user_id, archive_id=archive_id)
    if not deleted:
        raise NotFound("No such save archive.")
    return archive_id
