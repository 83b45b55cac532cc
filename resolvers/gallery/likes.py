"""Likes: one per (user, work), idempotent, race-free on both engines.

`like_id = {play_type}:{work_id}:{user_id}` is the primary key, so two likes by the same
user settle on the key (`ON CONFLICT DO NOTHING`), and only a like that was actually added
(or removed) moves the read model's `like_count` and writes a LIKE_COUNT_CHANGED event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from db.transactions import write_transaction
from resolvers import clock
from resolvers.gallery.errors import GalleryError, GalleryErrorCode
from resolvers.gallery.events import record_change
from resolvers.gallery.model import GalleryChangeKind, entry_key, like_key, utc
from resolvers.gallery.play_types import PlayType
from resolvers.gallery.store import likes, works
from resolvers.principal import Principal
from subscriptions import streams


@dataclass(frozen=True, slots=True)
class LikeState:
    """A work's like state for one user after a like or unlike."""

    play_type: PlayType
    work_id: str
    liked: bool
    like_count: int
    changed: bool
    entries: list[streams.StreamEntry] = field(default_factory=list)


def _not_found() -> GalleryError:
    return GalleryError(
        GalleryErrorCode.WORK_NOT_FOUND, "No published work with this id.", field="workId"
    )


async def _like_count(key: str) -> int:
    count = await works.like_count(key)
    if count is None:
        raise _not_found()
    return count


async def _count_change(
    key: str, *, liked: bool, play_type: PlayType, work_id: str, now: datetime
) -> LikeState:
    """Inside the transaction of a like just added (`liked`) or removed: move the work's
    `like_count` by one and record the change (to publish after commit). A work that is
    not published raises WORK_NOT_FOUND, which rolls the transaction back."""
    like_count = await works.step_like_count(key=key, liked=liked)
    if like_count is None:
        raise _not_found()
    entries = await record_change(
        kind=GalleryChangeKind.LIKE_COUNT_CHANGED,
        play_type=play_type,
        work_id=work_id,
        like_count=like_count,
        now=now,
    )
    return LikeState(
        play_type=play_type,
        work_id=work_id,
        liked=liked,
        like_count=like_count,
        changed=True,
        entries=entries,
    )


async def like_work(*, viewer: Principal, play_type: PlayType, work_id: str) -> LikeState:
    """The viewer likes a published work; liking it again changes nothing."""
    user_id = viewer.require_user()
    play_type = PlayType(play_type)
    key = entry_key(play_type, work_id)
    now = utc(clock.now())
    async with write_transaction():
        added = await likes.insert_like(
            like_id=like_key(play_type, work_id, user_id), user_id=user_id, key=key, now=now
        )
        if not added:
            # Not published (nothing to select), or liked already.
            return LikeState(
                play_type=play_type,
                work_id=work_id,
                liked=True,
                like_count=await _like_count(key),
                changed=False,
            )
        # Unpublished meanwhile: WORK_NOT_FOUND, and the like is rolled back.
        state = await _count_change(key, liked=True, play_type=play_type, work_id=work_id, now=now)
    await streams.publish(state.entries)
    return state


async def unlike_work(*, viewer: Principal, play_type: PlayType, work_id: str) -> LikeState:
    """The viewer withdraws a like of a published work; no like, no change."""
    user_id = viewer.require_user()
    play_type = PlayType(play_type)
    key = entry_key(play_type, work_id)
    now = utc(clock.now())
    async with write_transaction():
        if not await likes.delete_like(like_key(play_type, work_id, user_id)):
            return LikeState(
                play_type=play_type,
                work_id=work_id,
                liked=False,
                like_count=await _like_count(key),
                changed=False,
            )
        # Not published: WORK_NOT_FOUND, and the like stays for a later republication.
        state = await _count_change(key, liked=False, play_type=play_type, work_id=work_id, now=now)
    await streams.publish(state.entries)
    return state
