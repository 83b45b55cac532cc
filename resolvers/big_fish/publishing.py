"""Publishing big-fish works (a work is its session): publish, update, unpublish, and
the recorded gate.

Each is one transaction that locks the session row first, then:
- publish: the row must be a draft (its conditional UPDATE decides: two concurrent
  publications publish once, one code); the gate runs on the current draft and bindings
  and is recorded (`gate.evaluate`: a `big_fish_event`); blocked, the transaction is
  rolled back and the evaluation is recorded again on its own, so every evaluation leaves
  its event; ready, the work gets a public code (kept for good), the cover, PUBLISHED,
  stage `published`, and the gallery's read model (a PUBLISHED change);
- update: the same on a published work (UPDATED change);
- unpublish: back to a draft (code kept); the work leaves the gallery.
Stream entries are published after commit.
"""

from __future__ import annotations

from dataclasses import replace

from db.transactions import write_transaction
from resolvers import clock
from resolvers.assets.objects import read_path
from resolvers.big_fish import drafts, gate, slots
from resolvers.big_fish.errors import BigFishError, BigFishErrorCode, BigFishPublishBlocked
from resolvers.big_fish.model import COVER_SLOT, BigFishCreationStage
from resolvers.big_fish.rows import BigFishWorkRow
from resolvers.big_fish.store import sessions as store
from resolvers.creation import turns
from resolvers.errors import NotFound
from resolvers.gallery import publishing as gallery
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.gallery.play_types import PlayType
from resolvers.play_types.gates import Blocker
from resolvers.play_types.public_codes import assign_public_code
from resolvers.principal import Principal
from subscriptions import streams

NOT_FOUND_MESSAGE = "No such big-fish work."
# Public work codes: `BF` and 10 random base32 characters (50 bits), unique by their index.
PUBLIC_CODE_PREFIX = "BF"
PUBLIC_CODE_LENGTH = 10


async def _assign_public_code(work: BigFishWorkRow) -> str:
    async def write(code: str) -> None:
        await store.set_public_code(session_id=work.session_id, code=code)

    return await assign_public_code(
        existing=work.public_work_code,
        prefix=PUBLIC_CODE_PREFIX,
        length=PUBLIC_CODE_LENGTH,
        write=write,
    )


async def evaluate_gate(*, viewer: Principal, work_id: str) -> list[Blocker]:
    """The gate now, recorded as a `big_fish_event` (the owner's only)."""
    owner = viewer.require_user()
    await turns.settle_sessions(play_type=PlayType.BIG_FISH, session_ids=[work_id])
    now = clock.now()
    async with write_transaction():
        session = await store.lock_session(session_id=work_id, owner_user_id=owner, now=now)
        if session is None:
            raise NotFound(NOT_FOUND_MESSAGE)
        found = await gate.evaluate(
            session_id=work_id,
            owner_user_id=owner,
            draft=drafts.stored_draft(session.draft),
            now=now,
        )
    await streams.publish(found.entries)
    return found.blockers


def _status_error(expected: WorkPublicationStatus) -> BigFishError:
    if expected is WorkPublicationStatus.DRAFT:
        return BigFishError(
            BigFishErrorCode.ALREADY_PUBLISHED,
            "This work is already published: use bigFishWorkUpdate.",
            field="workId",
        )
    return BigFishError(
        BigFishErrorCode.NOT_PUBLISHED,
        "This work is not published: use bigFishWorkPublish.",
        field="workId",
    )


class _Blocked(Exception):
    """Rolls the publication back; the gate is then recorded on its own."""


async def _publish(
    *, viewer: Principal, work_id: str, expected: WorkPublicationStatus
) -> BigFishWorkRow:
    owner = viewer.require_user()
    await turns.settle_sessions(play_type=PlayType.BIG_FISH, session_ids=[work_id])
    now = clock.now()
    try:
        async with write_transaction():
            session = await store.lock_session(session_id=work_id, owner_user_id=owner, now=now)
            if session is None:
                raise NotFound(NOT_FOUND_MESSAGE)
            if not await store.claim_status(work_id=work_id, status=expected, now=now):
                raise _status_error(expected)
            draft = drafts.stored_draft(session.draft)
            evaluation = await gate.evaluate(
                session_id=work_id, owner_user_id=owner, draft=draft, now=now
            )
            if evaluation.blockers:
                raise _Blocked
            cover = (await slots.bound_images([work_id]))[work_id][COVER_SLOT]
            stored = await store.set_published(
                work_id=work_id,
                cover_asset_id=cover.asset_object_id,
                cover_image_src=read_path(cover.asset_object_id),
                stage=BigFishCreationStage.PUBLISHED.value,
                now=now,
            )
            work = replace(stored, public_work_code=await _assign_public_code(stored))
            entries = await gallery.publish_work(
                play_type=PlayType.BIG_FISH,
                work_id=work_id,
                owner_user_id=owner,
                title=draft.title,
                summary=draft.description,
                cover_image_src=work.cover_image_src,
                theme=draft.theme or None,
                tags=list(draft.tags),
                now=now,
            )
    except _Blocked:
        blocked = await evaluate_gate(viewer=viewer, work_id=work_id)
        raise BigFishPublishBlocked(blocked) from None
    await streams.publish([*evaluation.entries, *entries])
    return work


async def publish_work(*, viewer: Principal, work_id: str) -> BigFishWorkRow:
    """Publish a draft work that passes the gate (PUBLISH_BLOCKED lists what is missing)."""
    return await _publish(viewer=viewer, work_id=work_id, expected=WorkPublicationStatus.DRAFT)


async def update_work(*, viewer: Principal, work_id: str) -> BigFishWorkRow:
    """Publish the session's current draft over a published work (gate included)."""
    return await _publish(viewer=viewer, work_id=work_id, expected=WorkPublicationStatus.PUBLISHED)


async def unpublish_work(*, viewer: Principal, work_id: str) -> BigFishWorkRow:
    """Take a published work out of the gallery; it becomes a draft again (code kept)."""
    owner = viewer.require_user()
    now = clock.now()
    async with write_transaction():
        session = await store.lock_session(session_id=work_id, owner_user_id=owner, now=now)
        if session is None:
            raise NotFound(NOT_FOUND_MESSAGE)
        stage, progress = drafts.stage_and_progress(
            drafts.stored_draft(session.draft), published=False
        )
        work = await store.set_unpublished(work_id=work_id, stage=stage, progress=progress, now=now)
        if work is None:
            raise BigFishError(
                BigFishErrorCode.NOT_PUBLISHED, "This work is not published.", field="workId"
            )
        entries = await gallery.unpublish_work(
            play_type=PlayType.BIG_FISH, work_id=work_id, now=now
        )
    await streams.publish(entries)
    return work
