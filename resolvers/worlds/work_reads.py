"""Reading custom worlds as works (`custom_world_profile`) and their public read model
(`custom_world_gallery_entry`): owner checks, keyset pages, batched loads for lists.

Soft-deleted worlds are invisible everywhere: every read of a profile filters on
`deleted_at IS NULL`. Another user's draft is NOT_FOUND. The owner's reads first apply
finished agent turns (the creation framework's `settle_*`). Every batch function costs one
statement whatever the number of ids.
"""

from __future__ import annotations

from collections.abc import Sequence

from db.tables.worlds import CustomWorldGalleryEntry, CustomWorldProfile
from resolvers.creation import turns
from resolvers.errors import NotFound
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.pagination import Page, build_page, decode_cursor, page_size
from resolvers.principal import Principal
from resolvers.worlds.errors import NOT_FOUND_WORLD
from resolvers.worlds.keysets import moment_of, time_key
from resolvers.worlds.model import PLAY_TYPE, ThemeMode
from resolvers.worlds.rows import GalleryEntryRow, WorldProfileRow


async def profiles_by_ids(profile_ids: Sequence[str]) -> dict[str, WorldProfileRow]:
    """Live worlds by profile id (one statement)."""
    ids = sorted(set(profile_ids))
    if not ids:
        return {}
    rows = await (
        CustomWorldProfile.select()
        .where(CustomWorldProfile.profile_id.is_in(ids) & CustomWorldProfile.deleted_at.is_null())
        .output(load_json=True)
    )
    return {row["profile_id"]: WorldProfileRow.from_row(row) for row in rows}


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
    query = CustomWorldProfile.select().where(
        (CustomWorldProfile.owner_user_id == user_id) & CustomWorldProfile.deleted_at.is_null()
    )
    if status is not None:
        query = query.where(CustomWorldProfile.publication_status == status.value)
    if after is not None:
        moment, profile_id = decode_cursor(after, size=2)
        at = moment_of(moment)
        query = query.where(
            (CustomWorldProfile.updated_at < at)
            | (
                (CustomWorldProfile.updated_at == at)
                & (CustomWorldProfile.profile_id < str(profile_id))
            )
        )
    rows = await (
        query.order_by(
            CustomWorldProfile.updated_at, CustomWorldProfile.profile_id, ascending=False
        )
        .limit(size + 1)
        .output(load_json=True)
    )
    items = [WorldProfileRow.from_row(row) for row in rows]
    return build_page(items, size, lambda row: time_key(row.updated_at, row.profile_id))


# --- the public read model --------------------------------------------------------------------


async def gallery_entry_by_code(public_work_code: str) -> GalleryEntryRow | None:
    row = await (
        CustomWorldGalleryEntry.select()
        .where(CustomWorldGalleryEntry.public_work_code == public_work_code)
        .first()
    )
    return GalleryEntryRow.from_row(row) if row is not None else None


async def gallery_entries(
    *, theme: ThemeMode | None, first: int | None, after: str | None
) -> Page[GalleryEntryRow]:
    """Published worlds from `custom_world_gallery_entry`, newest publication first."""
    size = page_size(first)
    query = CustomWorldGalleryEntry.select()
    if theme is not None:
        query = query.where(CustomWorldGalleryEntry.theme_mode == theme.value)
    if after is not None:
        moment, profile_id = decode_cursor(after, size=2)
        at = moment_of(moment)
        query = query.where(
            (CustomWorldGalleryEntry.published_at < at)
            | (
                (CustomWorldGalleryEntry.published_at == at)
                & (CustomWorldGalleryEntry.profile_id < str(profile_id))
            )
        )
    rows = await query.order_by(
        CustomWorldGalleryEntry.published_at, CustomWorldGalleryEntry.profile_id, ascending=False
    ).limit(size + 1)
    items = [GalleryEntryRow.from_row(row) for row in rows]
    return build_page(items, size, lambda row: time_key(row.published_at, row.profile_id))
