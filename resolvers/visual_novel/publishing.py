"""Publishing visual novels: publish, update a published work, unpublish.

The flow is the shared one (resolvers/play_types/publication.py); this module gives it the
visual novel's pieces: the gate on the session's current draft and the bound images, the
projection (the draft copied into the work's `draft_json`, with each scene's image id under
`sceneImages`, and `publish_ready` set) and the mirror on unpublish. The session's stage
column is `status`, and publishing clears the agent's pending action.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from resolvers.assets.objects import read_path
from resolvers.creation.model import SessionState
from resolvers.gallery.play_types import PlayType
from resolvers.play_types import publication
from resolvers.play_types.publication import Projected, PublicationSpec
from resolvers.visual_novel import drafts
from resolvers.visual_novel.adapter import mirror_draft
from resolvers.visual_novel.errors import (
    VisualNovelError,
    VisualNovelErrorCode,
    VisualNovelPublishBlocked,
)
from resolvers.visual_novel.gate import blockers, bound_images
from resolvers.visual_novel.model import VisualNovelStage
from resolvers.visual_novel.rows import VisualNovelWorkRow
from resolvers.visual_novel.store import sessions as session_store
from resolvers.visual_novel.store import works as work_store

NOT_FOUND_MESSAGE = "No such visual novel."
# Public work codes: `VN` and 10 random base32 characters, unique by their index.
PUBLIC_CODE_PREFIX = "VN"
PUBLIC_CODE_LENGTH = publication.PUBLIC_CODE_LENGTH


async def _project(session: SessionState, profile_id: str, now: datetime) -> Projected:
    draft = drafts.stored_draft(session.draft)
    images = (await bound_images([profile_id]))[profile_id]
    found_blockers = blockers(draft, images)
    if found_blockers:
        raise VisualNovelPublishBlocked(found_blockers)
    assert images.cover is not None
    columns = drafts.projection(draft)
    published = {
        **columns["draft_json"],
        "sceneImages": {key: a.asset_object_id for key, a in images.scenes.items()},
    }
    row = await work_store.publish_work(
        profile_id=profile_id,
        columns=columns,
        published_draft=published,
        cover_image_src=read_path(images.cover.asset_object_id),
        now=now,
    )
    return Projected(row, None, list(draft.tags))


async def _unproject(session: SessionState, session_id: str, now: datetime) -> tuple[str, int]:
    draft = drafts.stored_draft(session.draft)
    await mirror_draft(session_id=session_id, draft=draft, now=now)
    return drafts.stage_and_progress(draft, published=False)


SPEC: PublicationSpec[SessionState, VisualNovelWorkRow] = PublicationSpec(
    play_type=PlayType.VISUAL_NOVEL,
    tables=work_store.TABLES,
    published_stage=VisualNovelStage.PUBLISHED.value,
    lock_session=session_store.lock_session,
    project=_project,
    unproject=_unproject,
    error=VisualNovelError,
    already_published=VisualNovelErrorCode.ALREADY_PUBLISHED,
    not_published=VisualNovelErrorCode.NOT_PUBLISHED,
    mutation_prefix="visualNovel",
    not_found_message=NOT_FOUND_MESSAGE,
    public_code_prefix=PUBLIC_CODE_PREFIX,
    title_column="work_title",
    summary_column="work_description",
    clears_publish_ready=True,
    session_stage_column=session_store.STAGE_COLUMN,
    session_cleared_on_publish=("pending_action_json",),
    work_row=VisualNovelWorkRow.from_row,
)


async def owned_work(work_id: str, owner: str) -> dict[str, Any]:
    return await publication.owned_work(SPEC, work_id, owner)
