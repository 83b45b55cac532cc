"""Reading custom worlds as works (`custom_world_profile`) and their public read model
(`custom_world_gallery_entry`): owner checks, keyset pages, batched loads for lists.

Soft-deleted worlds are invisible everywhere: every read of a profile filters on
`deleted_at IS NULL`. Another user's draft is NOT_FOUND. The owner's reads first apply
finished agent turns (the creation framework's `settle_*`). Every batch function costs one
statement whatever the number of ids.
"""

from __future__ import annotations

from collections.abc import Sequence

from resolvers.creation import turns
from resolvers.errors import NotFound
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.pagination import Page, build_page, decode_cursor, page_size
from resolvers.principal import Principal
from resolvers.worlds.errors import NOT_FOUND_WORLD
from resolvers.worlds.keysets import moment_of, time_key
from resolvers.worlds.model import PLAY_TYPE, ThemeMode
from resolvers.worlds.rows import GalleryEntryRow, WorldProfileRow
from resolvers.worlds.store import gallery
from resolvers.worlds.store.profiles import profiles_with_ids, works_page


async def profiles_by_ids(profile_ids: Sequence[str]) -> dict[str, WorldProfileRow]:
    """Live worlds by profile id (one statement)."""
    ids = sorted(set(profile_ids))
    if not ids:
        return {}
    return {row.profile_id: row for row in await profiles_with_ids(ids)}


def visible(row: WorldProfileRow | None, viewer_user_id: str | None) -> bool:
    """Anyone sees a published world; only its owner sees a draft."""
    if row is None or row.deleted_at is not None:
        return False
    return row.published or row.owner_user_id == viewer_user_id


async def owned_world(*, viewer: Principal, profile_id: str) -> WorldProfileRow:
    owner = viewer.require_user()
    row = (await profiles_by_ids([profile_id])).get(profile_id)
    if row is None or row.owner_user_id != owner:
        raise NotFound(NOT_FOUND_WORLD)
    session_ids = [row.source_agent_session_id] if row.source_agent_session_id else []
    await turns.settle_sessions(play_type=PLAY_TYPE, session_ids=session_ids)
    return (await profiles_by_ids([profile_id]))[profile_id]


async def works_of(
    *,
    user_id: str,
    status: WorkPublicationStatus | None,
    first: int | None,
    after: str | None,
) -> Page[WorldProfileRow]:
    """The user's live worlds, most recently changed first (one statement after settling
    finished agent turns)."""
    size = page_size(first)
    await turns.settle_owner(owner_user_id=user_id)
    position = None
    if after is not None:
        moment, profile_id = decode_cursor(after, size=2)
        position = (moment_of(moment), str(profile_id))
    items = await works_page(user_id=user_id, status=status, after=position, limit=size + 1)
    return build_page(items, size, lambda row: time_key(row.updated_at, row.profile_id))


# --- the public read model --------------------------------------------------------------------


async def gallery_entry_by_code(public_work_code: str) -> GalleryEntryRow | None:
    return await gallery.gallery_entry_by_code(public_work_code)


async def gallery_entries(
    *, theme: ThemeMode | None, first: int | None, after: str | None
) -> Page[GalleryEntryRow]:
    """Published worlds from `custom_world_gallery_entry`, newest publication first."""
    size = page_size(first)
    position = None
    if after is not None:
        moment, profile_id = decode_cursor(after, size=2)
        position = (moment_of(moment), str(profile_id))
    items = await gallery.gallery_page(theme=theme, after=position, limit=size + 1)
    return build_page(items, size, lambda row: time_key(row.published_at, row.profile_id))
