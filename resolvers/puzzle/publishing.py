"""Publishing puzzles: publish, update a published work, unpublish.

Each is one transaction that takes the session's row lock first, then the work's (the
order every puzzle writer uses, so none waits on another in a cycle), and:
- publish: the work must be a draft (its conditional UPDATE decides: two concurrent
  publications publish once, one event, one code) and pass the gate on the session's
  current draft and the bound images; the work gets a public work code (kept for good),
  the draft and image snapshot, `publish_ready`; the session goes to `published`; a
  `puzzle_event` (PUBLISHED) is numbered in the owner's puzzle stream and the gallery's
  read model is written (`resolvers.gallery.publishing.publish_work`);
- update: the same for a published work (UPDATED), so the gallery stays in step;
- unpublish: back to a draft that mirrors the session again; UNPUBLISHED event; the work
  leaves the gallery.
Stream entries are published after commit. A refusal writes nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from db.tables.puzzle import PuzzleEvent, PuzzleWorkProfile
from db.transactions import write_transaction
from resolvers import clock
from resolvers.assets.objects import read_path
from resolvers.creation import turns
from resolvers.errors import NotFound
from resolvers.gallery import publishing as gallery
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.gallery.play_types import PlayType
from resolvers.ids import new_id
from resolvers.play_types.public_codes import assign_public_code
from resolvers.principal import Principal
from resolvers.puzzle import drafts
from resolvers.puzzle.adapter import PROFILE_JSON, as_json, decoded, lock_session, mirror_draft
from resolvers.puzzle.errors import PuzzleError, PuzzleErrorCode, PuzzlePublishBlocked
from resolvers.puzzle.gate import blockers, bound_images
from resolvers.puzzle.model import (
    PuzzleEventKind,
    PuzzleStage,
    owner_stream,
)
from subscriptions import streams

NOT_FOUND_MESSAGE = "No such puzzle work."
# Public work codes: `PZ` and 10 random base32 characters (50 bits), unique by their index.
PUBLIC_CODE_PREFIX = "PZ"
PUBLIC_CODE_LENGTH = 10


async def _assign_public_code(work: dict[str, Any]) -> str:
    async def write(code: str) -> None:
        await PuzzleWorkProfile.update({PuzzleWorkProfile.public_work_code: code}).where(
            (PuzzleWorkProfile.profile_id == work["profile_id"])
            & PuzzleWorkProfile.public_work_code.is_null()
        )

    return await assign_public_code(
        existing=work["public_work_code"],
        prefix=PUBLIC_CODE_PREFIX,
        length=PUBLIC_CODE_LENGTH,
        write=write,
    )


async def owned_work(work_id: str, owner: str) -> dict[str, Any]:
    row = (
        await PuzzleWorkProfile.select(
            PuzzleWorkProfile.profile_id, PuzzleWorkProfile.source_session_id
        )
        .where(
            (PuzzleWorkProfile.profile_id == work_id) & (PuzzleWorkProfile.owner_user_id == owner)
        )
        .first()
    )
    if row is None or row["source_session_id"] is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    return row


async def _record(
    *, kind: PuzzleEventKind, work: dict[str, Any], now: datetime
) -> list[streams.StreamEntry]:
    event_id = new_id()
    await PuzzleEvent.raw(
        "INSERT INTO puzzle_event (event_id, profile_id, work_id, session_id, owner_user_id, "
        "event_kind, occurred_at) VALUES ({}, {}, {}, {}, {}, {}, {})",
        event_id,
        work["profile_id"],
        work["work_id"],
        work["source_session_id"],
        work["owner_user_id"],
        kind.value,
        now,
    )
    return await streams.append(
        [owner_stream(work["owner_user_id"])], kind=kind.value, event_id=event_id, occurred_at=now
    )


async def _publish(
    *, viewer: Principal, work_id: str, expected: WorkPublicationStatus
) -> dict[str, Any]:
    owner = viewer.require_user()
    found = await owned_work(work_id, owner)
    session_id = found["source_session_id"]
    await turns.settle_sessions(play_type=PlayType.PUZZLE, session_ids=[session_id])
    now = clock.now()
    async with write_transaction():
        session = await lock_session(session_id=session_id, owner_user_id=owner, now=now)
        if session is None:
            raise NotFound(NOT_FOUND_MESSAGE)
        claimed = await PuzzleWorkProfile.raw(
            "UPDATE puzzle_work_profile SET updated_at = {} WHERE profile_id = {} "
            "AND publication_status = {} RETURNING *",
            now,
            found["profile_id"],
            expected.value,
        )
        if not claimed:
            if expected is WorkPublicationStatus.DRAFT:
                raise PuzzleError(
                    PuzzleErrorCode.ALREADY_PUBLISHED,
                    "This work is already published: use puzzleWorkUpdate.",
                    field="workId",
                )
            raise PuzzleError(
                PuzzleErrorCode.NOT_PUBLISHED,
                "This work is not published: use puzzleWorkPublish.",
                field="workId",
            )
        draft = drafts.stored_draft(session.draft)
        images = (await bound_images({work_id: [level.level_id for level in draft.levels]}))[
            work_id
        ]
        found_blockers = blockers(draft, images)
        if found_blockers:
            raise PuzzlePublishBlocked(found_blockers)
        assert images.cover is not None
        columns = drafts.projection(draft, session.seed_text)
        level_images = {
            level_id: asset["asset_object_id"] for level_id, asset in images.levels.items()
        }
        rows = await PuzzleWorkProfile.raw(
            "UPDATE puzzle_work_profile SET work_title = {}, work_description = {}, "
            "level_name = {}, summary = {}, theme_tags_json = {}, levels_json = {}, "
            "anchor_pack_json = {}, cover_asset_id = {}, cover_image_src = {}, "
            "publication_status = {}, publish_ready = {}, "
            "published_at = COALESCE(published_at, {}), updated_at = {} "
            "WHERE profile_id = {} RETURNING *",
            columns["work_title"],
            columns["work_description"],
            columns["level_name"],
            columns["summary"],
            as_json(columns["theme_tags_json"]),
            as_json(drafts.levels_json(draft, level_images)),
            as_json(columns["anchor_pack_json"]),
            images.cover["asset_object_id"],
            read_path(images.cover["asset_object_id"]),
            WorkPublicationStatus.PUBLISHED.value,
            True,
            now,
            now,
            found["profile_id"],
        )
        work = decoded(rows[0], PROFILE_JSON)
        work["public_work_code"] = await _assign_public_code(work)
        await PuzzleWorkProfile.raw(
            "UPDATE puzzle_agent_session SET stage = {}, progress_percent = 100, "
            "published_profile_id = {} WHERE session_id = {}",
            PuzzleStage.PUBLISHED.value,
            work["profile_id"],
            session_id,
        )
        kind = (
            PuzzleEventKind.PUBLISHED
            if expected is WorkPublicationStatus.DRAFT
            else PuzzleEventKind.UPDATED
        )
        entries = await _record(kind=kind, work=work, now=now)
        entries += await gallery.publish_work(
            play_type=PlayType.PUZZLE,
            work_id=work["work_id"],
            owner_user_id=owner,
            title=work["work_title"],
            summary=work["work_description"],
            cover_image_src=work["cover_image_src"],
            theme=draft.theme or None,
            tags=list(draft.tags),
            now=now,
        )
    await streams.publish(entries)
    return work


async def publish_work(*, viewer: Principal, work_id: str) -> dict[str, Any]:
    """Publish a draft work that passes the gate (PUBLISH_BLOCKED lists what is missing)."""
    return await _publish(viewer=viewer, work_id=work_id, expected=WorkPublicationStatus.DRAFT)


async def update_work(*, viewer: Principal, work_id: str) -> dict[str, Any]:
    """Publish the session's current draft over a published work (gate included)."""
    return await _publish(viewer=viewer, work_id=work_id, expected=WorkPublicationStatus.PUBLISHED)


async def unpublish_work(*, viewer: Principal, work_id: str) -> dict[str, Any]:
    """Take a published work out of the gallery; it becomes a draft again."""
    owner = viewer.require_user()
    found = await owned_work(work_id, owner)
    session_id = found["source_session_id"]
    now = clock.now()
    async with write_transaction():
        session = await lock_session(session_id=session_id, owner_user_id=owner, now=now)
        if session is None:
            raise NotFound(NOT_FOUND_MESSAGE)
        claimed = await PuzzleWorkProfile.raw(
            "UPDATE puzzle_work_profile SET publication_status = {}, publish_ready = {}, "
            "updated_at = {} WHERE profile_id = {} AND publication_status = {} RETURNING *",
            WorkPublicationStatus.DRAFT.value,
            False,
            now,
            found["profile_id"],
            WorkPublicationStatus.PUBLISHED.value,
        )
        if not claimed:
            raise PuzzleError(
                PuzzleErrorCode.NOT_PUBLISHED, "This work is not published.", field="workId"
            )
        draft = drafts.stored_draft(session.draft)
        await mirror_draft(session_id=session_id, draft=draft, seed_text=session.seed_text, now=now)
        stage, progress = drafts.stage_and_progress(draft, published=False)
        await PuzzleWorkProfile.raw(
            "UPDATE puzzle_agent_session SET stage = {}, progress_percent = {} "
            "WHERE session_id = {}",
            stage,
            progress,
            session_id,
        )
        work = decoded(claimed[0], PROFILE_JSON)
        entries = await _record(kind=PuzzleEventKind.UNPUBLISHED, work=work, now=now)
        entries += await gallery.unpublish_work(
            play_type=PlayType.PUZZLE, work_id=work["work_id"], now=now
        )
        current = (
            await PuzzleWorkProfile.select()
            .where(PuzzleWorkProfile.profile_id == found["profile_id"])
            .output(load_json=True)
            .first()
        )
    await streams.publish(entries)
    assert current is not None
    return current
