"""Publishing square-hole works: publish, update a published work, unpublish.

Each is one transaction that takes the session's row lock first, then the work's (the
order every square-hole writer uses), and:
- publish: the work must be a draft (its conditional UPDATE decides: two concurrent
  publications publish once, one code) and pass the gate on the session's current draft
  and the bound cover; the work gets a public work code (kept for good), the draft's
  columns and config, the cover; the session goes to `published` with
  `published_profile_id`; the gallery's read model is written
  (`resolvers.gallery.publishing.publish_work`: a PUBLISHED gallery change);
- update: the same for a published work (UPDATED change);
- unpublish: back to a draft that mirrors the session again; the work leaves the gallery.
Stream entries are published after commit. A refusal writes nothing.
"""

from __future__ import annotations

from typing import Any

from db.tables.square_hole import SquareHoleWorkProfile
from db.transactions import write_transaction
from resolvers import clock
from resolvers.assets.objects import read_path
from resolvers.creation import turns
from resolvers.errors import NotFound
from resolvers.gallery import publishing as gallery
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.gallery.play_types import PlayType
from resolvers.play_types.public_codes import assign_public_code
from resolvers.principal import Principal
from resolvers.square_hole import drafts
from resolvers.square_hole.adapter import PROFILE_JSON, as_json, decoded, lock_session, mirror_draft
from resolvers.square_hole.errors import (
    SquareHoleError,
    SquareHoleErrorCode,
    SquareHolePublishBlocked,
)
from resolvers.square_hole.gate import blockers, bound_covers
from resolvers.square_hole.model import SquareHoleStage
from subscriptions import streams

NOT_FOUND_MESSAGE = "No such square-hole work."
# Public work codes: `SH` and 10 random base32 characters (50 bits), unique by their index.
PUBLIC_CODE_PREFIX = "SH"
PUBLIC_CODE_LENGTH = 10


async def _assign_public_code(work: dict[str, Any]) -> str:
    async def write(code: str) -> None:
        await SquareHoleWorkProfile.update({SquareHoleWorkProfile.public_work_code: code}).where(
            (SquareHoleWorkProfile.profile_id == work["profile_id"])
            & SquareHoleWorkProfile.public_work_code.is_null()
        )

    return await assign_public_code(
        existing=work["public_work_code"],
        prefix=PUBLIC_CODE_PREFIX,
        length=PUBLIC_CODE_LENGTH,
        write=write,
    )


async def owned_work(work_id: str, owner: str) -> dict[str, Any]:
    row = (
        await SquareHoleWorkProfile.select(
            SquareHoleWorkProfile.profile_id, SquareHoleWorkProfile.source_session_id
        )
        .where(
            (SquareHoleWorkProfile.profile_id == work_id)
            & (SquareHoleWorkProfile.owner_user_id == owner)
        )
        .first()
    )
    if row is None or row["source_session_id"] is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    return row


def _status_error(expected: WorkPublicationStatus) -> SquareHoleError:
    if expected is WorkPublicationStatus.DRAFT:
        return SquareHoleError(
            SquareHoleErrorCode.ALREADY_PUBLISHED,
            "This work is already published: use squareHoleWorkUpdate.",
            field="workId",
        )
    return SquareHoleError(
        SquareHoleErrorCode.NOT_PUBLISHED,
        "This work is not published: use squareHoleWorkPublish.",
        field="workId",
    )


async def _publish(
    *, viewer: Principal, work_id: str, expected: WorkPublicationStatus
) -> dict[str, Any]:
    owner = viewer.require_user()
    found = await owned_work(work_id, owner)
    session_id = found["source_session_id"]
    await turns.settle_sessions(play_type=PlayType.SQUARE_HOLE, session_ids=[session_id])
    now = clock.now()
    async with write_transaction():
        session = await lock_session(session_id=session_id, owner_user_id=owner, now=now)
        if session is None:
            raise NotFound(NOT_FOUND_MESSAGE)
        claimed = await SquareHoleWorkProfile.raw(
            "UPDATE square_hole_work_profile SET updated_at = {} WHERE profile_id = {} "
            "AND publication_status = {} RETURNING profile_id",
            now,
            found["profile_id"],
            expected.value,
        )
        if not claimed:
            raise _status_error(expected)
        draft = drafts.stored_draft(session.draft)
        cover = (await bound_covers([work_id])).get(work_id)
        found_blockers = blockers(draft, cover)
        if found_blockers:
            raise SquareHolePublishBlocked(found_blockers)
        assert cover is not None
        columns = drafts.projection(draft)
        rows = await SquareHoleWorkProfile.raw(
            "UPDATE square_hole_work_profile SET game_name = {}, theme_text = {}, "
            "twist_rule = {}, summary_text = {}, tags_json = {}, shape_count = {}, "
            "difficulty = {}, config_json = {}, cover_asset_id = {}, cover_image_src = {}, "
            "publication_status = {}, published_at = COALESCE(published_at, {}), "
            "updated_at = {} WHERE profile_id = {} RETURNING *",
            columns["game_name"],
            columns["theme_text"],
            columns["twist_rule"],
            columns["summary_text"],
            as_json(columns["tags_json"]),
            columns["shape_count"],
            columns["difficulty"],
            as_json(columns["config_json"]),
            cover["asset_object_id"],
            read_path(cover["asset_object_id"]),
            WorkPublicationStatus.PUBLISHED.value,
            now,
            now,
            found["profile_id"],
        )
        work = decoded(rows[0], PROFILE_JSON)
        work["public_work_code"] = await _assign_public_code(work)
        await SquareHoleWorkProfile.raw(
            "UPDATE square_hole_agent_session SET stage = {}, progress_percent = 100, "
            "published_profile_id = {} WHERE session_id = {}",
            SquareHoleStage.PUBLISHED.value,
            work["profile_id"],
            session_id,
        )
        entries = await gallery.publish_work(
            play_type=PlayType.SQUARE_HOLE,
            work_id=work["work_id"],
            owner_user_id=owner,
            title=work["game_name"],
            summary=work["summary_text"],
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
    """Take a published work out of the gallery; it becomes a draft again (code kept)."""
    owner = viewer.require_user()
    found = await owned_work(work_id, owner)
    session_id = found["source_session_id"]
    now = clock.now()
    async with write_transaction():
        session = await lock_session(session_id=session_id, owner_user_id=owner, now=now)
        if session is None:
            raise NotFound(NOT_FOUND_MESSAGE)
        claimed = await SquareHoleWorkProfile.raw(
            "UPDATE square_hole_work_profile SET publication_status = {}, updated_at = {} "
            "WHERE profile_id = {} AND publication_status = {} RETURNING profile_id",
            WorkPublicationStatus.DRAFT.value,
            now,
            found["profile_id"],
            WorkPublicationStatus.PUBLISHED.value,
        )
        if not claimed:
            raise SquareHoleError(
                SquareHoleErrorCode.NOT_PUBLISHED, "This work is not published.", field="workId"
            )
        draft = drafts.stored_draft(session.draft)
        await mirror_draft(session_id=session_id, draft=draft, now=now)
        stage, progress = drafts.stage_and_progress(draft, published=False)
        await SquareHoleWorkProfile.raw(
            "UPDATE square_hole_agent_session SET stage = {}, progress_percent = {} "
            "WHERE session_id = {}",
            stage,
            progress,
            session_id,
        )
        entries = await gallery.unpublish_work(
            play_type=PlayType.SQUARE_HOLE, work_id=found["profile_id"], now=now
        )
        current = (
            await SquareHoleWorkProfile.select()
            .where(SquareHoleWorkProfile.profile_id == found["profile_id"])
            .output(load_json=True)
            .first()
        )
    await streams.publish(entries)
    assert current is not None
    return current
