"""Custom worlds as works: publish, unpublish, soft delete.

Each is one transaction over the locked world (resolvers/worlds/locking.py):
- publish: refused while any blocker remains (every blocker is reported) and when the
  world is already published (so two concurrent publishes publish once); assigns the
  public work code on first publication (kept afterwards) and writes both read models;
- update: the current draft over a published world (same gate), both read models written
  again (the gallery's UPDATED change); autosaves of a published world already keep them
  in step, so this is how a client says "publish what I have now" explicitly;
- unpublish: removes both read models (the gallery's UNPUBLISHED change);
- delete: sets `deleted_at`; the world vanishes from every list and read, the gallery
  included. Deleting is final (there is no undelete).
The gallery's stream entries are published after commit.
"""

from __future__ import annotations

from db.transactions import write_transaction
from resolvers import clock
from resolvers.errors import NotFound
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.gallery.publishing import unpublish_work
from resolvers.play_types.public_codes import assign_public_code
from resolvers.principal import Principal
from resolvers.worlds import locking
from resolvers.worlds.errors import NOT_FOUND_WORLD, PublishBlocked, WorldError, WorldErrorCode
from resolvers.worlds.gate import cover_of, evaluate
from resolvers.worlds.model import PLAY_TYPE
from resolvers.worlds.rows import WorldProfileRow
from resolvers.worlds.saving import save_world
from resolvers.worlds.store.gallery import delete_gallery_entry
from resolvers.worlds.store.profiles import (
    session_of_profile,
    set_public_code,
    soft_delete_profile,
)
from subscriptions import streams

# Public work codes: `CW` and 8 random base32 characters (40 bits), unique by their index.
PUBLIC_CODE_PREFIX = "CW"
PUBLIC_CODE_LENGTH = 8


async def _assign_public_code(profile: WorldProfileRow) -> str:
    async def write(code: str) -> None:
        await set_public_code(profile_id=profile.profile_id, code=code)

    return await assign_public_code(
        existing=profile.public_work_code,
        prefix=PUBLIC_CODE_PREFIX,
        length=PUBLIC_CODE_LENGTH,
        write=write,
    )


async def _locked(*, profile_id: str, owner: str) -> locking.World:
    session_id = await session_of_profile(profile_id=profile_id, owner_user_id=owner)
    world = (
        await locking.lock_world(session_id=session_id, owner_user_id=owner, now=clock.now())
        if session_id is not None
        else None
    )
    if world is None or world.profile.profile_id != profile_id:
        raise NotFound(NOT_FOUND_WORLD)
    return world


async def publish(*, viewer: Principal, profile_id: str) -> WorldProfileRow:
    """Publish the viewer's world; see the module docstring. Returns the profile row."""
    owner = viewer.require_user()
    now = clock.now()
    async with write_transaction():
        world = await _locked(profile_id=profile_id, owner=owner)
        if world.published:
            raise WorldError(WorldErrorCode.ALREADY_PUBLISHED, "This world is already published.")
        blockers = evaluate(world.draft, await cover_of(profile_id))
        if blockers:
            raise PublishBlocked(
                blockers, f"The world cannot be published yet ({len(blockers)} blockers)."
            )
        code = await _assign_public_code(world.profile)
        saved, entries = await save_world(
            world,
            world.draft,
            now=now,
            profile_changes={
                "publication_status": WorkPublicationStatus.PUBLISHED,
                "public_work_code": code,
                "published_at": now,
            },
        )
    await streams.publish(entries)
    return saved.profile


async def update(*, viewer: Principal, profile_id: str) -> WorldProfileRow:
    """Publish the world's current draft over its published work (same gate): the gallery
    entry is written again and the gallery's UPDATED change follows."""
    owner = viewer.require_user()
    now = clock.now()
    async with write_transaction():
        world = await _locked(profile_id=profile_id, owner=owner)
        if not world.published:
            raise WorldError(
                WorldErrorCode.NOT_PUBLISHED,
                "This world is not published: use customWorldWorkPublish.",
                field="workId",
            )
        blockers = evaluate(world.draft, await cover_of(profile_id))
        if blockers:
            raise PublishBlocked(
                blockers, f"The world cannot be published yet ({len(blockers)} blockers)."
            )
        saved, entries = await save_world(world, world.draft, now=now)
    await streams.publish(entries)
    return saved.profile


async def _unpublished(world: locking.World) -> tuple[locking.World, list[streams.StreamEntry]]:
    now = clock.now()
    await delete_gallery_entry(world.profile.profile_id)
    entries = await unpublish_work(play_type=PLAY_TYPE, work_id=world.profile.profile_id, now=now)
    saved, more = await save_world(
        world,
        world.draft,
        now=now,
        profile_changes={"publication_status": WorkPublicationStatus.DRAFT},
    )
    return saved, entries + more


async def unpublish(*, viewer: Principal, profile_id: str) -> WorldProfileRow:
    """Take the viewer's published world out of the gallery (it becomes a DRAFT again)."""
    owner = viewer.require_user()
    async with write_transaction():
        world = await _locked(profile_id=profile_id, owner=owner)
        if not world.published:
            raise WorldError(WorldErrorCode.NOT_PUBLISHED, "This world is not published.")
        saved, entries = await _unpublished(world)
    await streams.publish(entries)
    return saved.profile


async def delete(*, viewer: Principal, profile_id: str) -> str:
    """Soft-delete the viewer's world (unpublishing it first if needed); its id."""
    owner = viewer.require_user()
    now = clock.now()
    async with write_transaction():
        world = await _locked(profile_id=profile_id, owner=owner)
        entries: list[streams.StreamEntry] = []
        if world.published:
            world, entries = await _unpublished(world)
        await soft_delete_profile(profile_id=profile_id, now=now)
    await streams.publish(entries)
    return profile_id
