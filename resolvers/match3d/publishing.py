"""Publishing Match3D works: publish, update a published work, unpublish.

Each is one transaction that takes the session's row lock first, then the work's (the
order every Match3D writer uses), and:
- publish: the work must be a draft (its conditional UPDATE decides: two concurrent
  publications publish once, with one code) and pass the gate on the session's current
  draft and the bound images; the work gets a public work code (kept for good), the
  draft's columns, its `config_json` with each item's cut image; the session goes to
  `published` with `published_profile_id`; the gallery's read model is written
  (`resolvers.gallery.publishing.publish_work`);
- update: the same for a published work (the gallery's UPDATED change);
- unpublish: back to a draft that mirrors the session again; the work leaves the gallery.
None of them writes `generated_item_assets_json`. A refusal writes nothing; the gallery's
stream entries are published after commit.
"""

from __future__ import annotations

from typing import Any

from db.tables.match3d import Match3dWorkProfile
from db.transactions import write_transaction
from resolvers import clock
from resolvers.assets.objects import read_path
from resolvers.creation import turns
from resolvers.errors import NotFound
from resolvers.gallery import publishing as gallery
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.gallery.play_types import PlayType
from resolvers.match3d import drafts
from resolvers.match3d.adapter import PROFILE_JSON, as_json, decoded, lock_session, mirror_draft
from resolvers.match3d.errors import Match3dError, Match3dErrorCode, Match3dPublishBlocked
from resolvers.match3d.gate import blockers, bound_images
from resolvers.match3d.model import Match3dStage
from resolvers.play_types.public_codes import assign_public_code
from resolvers.principal import Principal
from subscriptions import streams

NOT_FOUND_MESSAGE = "No such Match3D work."
# Public work codes: `M3` and 10 random base32 characters (50 bits), unique by their index.
PUBLIC_CODE_PREFIX = "M3"
PUBLIC_CODE_LENGTH = 10


async def _assign_public_code(work: dict[str, Any]) -> str:
    async def write(code: str) -> None:
        await Match3dWorkProfile.update({Match3dWorkProfile.public_work_code: code}).where(
            (Match3dWorkProfile.profile_id == work["profile_id"])
            & Match3dWorkProfile.public_work_code.is_null()
        )

    return await assign_public_code(
        existing=work["public_work_code"],
        prefix=PUBLIC_CODE_PREFIX,
        length=PUBLIC_CODE_LENGTH,
        write=write,
    )


async def owned_work(work_id: str, owner: str) -> dict[str, Any]:
    row = (
        await Match3dWorkProfile.select(
            Match3dWorkProfile.profile_id, Match3dWorkProfile.source_session_id
        )
        .where(
            (Match3dWorkProfile.profile_id == work_id) & (Match3dWorkProfile.owner_user_id == owner)
        )
        .first()
    )
    if row is None or row["source_session_id"] is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    return row


async def _publish(
    *, viewer: Principal, work_id: str, expected: WorkPublicationStatus
) -> dict[str, Any]:
    owner = viewer.require_user()
    found = await owned_work(work_id, owner)
    session_id = found["source_session_id"]
    await turns.settle_sessions(play_type=PlayType.MATCH3D, session_ids=[session_id])
    now = clock.now()
    async with write_transaction():
        session = await lock_session(session_id=session_id, owner_user_id=owner, now=now)
        if session is None:
            raise NotFound(NOT_FOUND_MESSAGE)
        claimed = await Match3dWorkProfile.raw(
            "UPDATE match3d_work_profile SET updated_at = {} WHERE profile_id = {} "
            "AND publication_status = {} RETURNING profile_id",
            now,
            work_id,
            expected.value,
        )
        if not claimed:
            if expected is WorkPublicationStatus.DRAFT:
                raise Match3dError(
                    Match3dErrorCode.ALREADY_PUBLISHED,
                    "This work is already published: use match3dWorkUpdate.",
                    field="workId",
                )
            raise Match3dError(
                Match3dErrorCode.NOT_PUBLISHED,
                "This work is not published: use match3dWorkPublish.",
                field="workId",
            )
        draft = drafts.stored_draft(session.draft)
        images = (await bound_images([work_id]))[work_id]
        found_blockers = blockers(draft, images)
        if found_blockers:
            raise Match3dPublishBlocked(found_blockers)
        assert images.cover is not None
        columns = drafts.projection(draft)
        item_images = {item_id: asset["asset_object_id"] for item_id, asset in images.items.items()}
        rows = await Match3dWorkProfile.raw(
            "UPDATE match3d_work_profile SET game_name = {}, theme_text = {}, "
            "summary_text = {}, tags_json = {}, clear_count = {}, difficulty = {}, "
            "config_json = {}, cover_asset_id = {}, cover_image_src = {}, "
            "publication_status = {}, published_at = COALESCE(published_at, {}), "
            "updated_at = {} WHERE profile_id = {} RETURNING *",
            columns["game_name"],
            columns["theme_text"],
            columns["summary_text"],
            as_json(columns["tags_json"]),
            columns["clear_count"],
            columns["difficulty"],
            as_json(drafts.config_json(draft, item_images)),
            images.cover["asset_object_id"],
            read_path(images.cover["asset_object_id"]),
            WorkPublicationStatus.PUBLISHED.value,
            now,
            now,
            work_id,
        )
        work = decoded(rows[0], PROFILE_JSON)
        work["public_work_code"] = await _assign_public_code(work)
        await Match3dWorkProfile.raw(
            "UPDATE match3d_agent_session SET stage = {}, progress_percent = 100, "
            "published_profile_id = {} WHERE session_id = {}",
            Match3dStage.PUBLISHED.value,
            work_id,
            session_id,
        )
        entries = await gallery.publish_work(
            play_type=PlayType.MATCH3D,
            work_id=work_id,
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
        claimed = await Match3dWorkProfile.raw(
            "UPDATE match3d_work_profile SET publication_status = {}, updated_at = {} "
            "WHERE profile_id = {} AND publication_status = {} RETURNING profile_id",
            WorkPublicationStatus.DRAFT.value,
            now,
            work_id,
            WorkPublicationStatus.PUBLISHED.value,
        )
        if not claimed:
            raise Match3dError(
                Match3dErrorCode.NOT_PUBLISHED, "This work is not published.", field="workId"
            )
        draft = drafts.stored_draft(session.draft)
        await mirror_draft(session_id=session_id, draft=draft, now=now)
        stage, progress = drafts.stage_and_progress(draft, published=False)
        await Match3dWorkProfile.raw(
            "UPDATE match3d_agent_session SET stage = {}, progress_percent = {} "
            "WHERE session_id = {}",
            stage,
            progress,
            session_id,
        )
        entries = await gallery.unpublish_work(play_type=PlayType.MATCH3D, work_id=work_id, now=now)
        current = (
            await Match3dWorkProfile.select()
            .where(Match3dWorkProfile.profile_id == work_id)
            .output(load_json=True)
            .first()
        )
    await streams.publish(entries)
    assert current is not None
    return current
