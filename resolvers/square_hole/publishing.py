"""Publishing square-hole works: publish, update a published work, unpublish.

The flow is the shared one (resolvers/play_types/publication.py); this module gives it
the square hole's pieces: the gate on the session's current draft and the bound cover,
the projection (the draft's columns and config, the cover) and the mirror on unpublish.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from resolvers.assets.objects import read_path
from resolvers.creation.model import SessionState
from resolvers.gallery.play_types import PlayType
from resolvers.play_types import publication
from resolvers.play_types.publication import Projected, PublicationSpec
from resolvers.square_hole import drafts
from resolvers.square_hole.adapter import mirror_draft
from resolvers.square_hole.errors import (
    SquareHoleError,
    SquareHoleErrorCode,
    SquareHolePublishBlocked,
)
from resolvers.square_hole.gate import blockers, bound_covers
from resolvers.square_hole.model import SquareHoleStage
from resolvers.square_hole.rows import SquareHoleWorkRow
from resolvers.square_hole.store import sessions as session_store
from resolvers.square_hole.store import works as work_store

NOT_FOUND_MESSAGE = "No such square-hole work."
# Public work codes: `SH` and 10 random base32 characters (50 bits), unique by their index.
PUBLIC_CODE_PREFIX = "SH"
PUBLIC_CODE_LENGTH = publication.PUBLIC_CODE_LENGTH


async def _project(session: SessionState, profile_id: str, now: datetime) -> Projected:
    draft = drafts.stored_draft(session.draft)
    cover = (await bound_covers([profile_id])).get(profile_id)
    found_blockers = blockers(draft, cover)
    if found_blockers:
        raise SquareHolePublishBlocked(found_blockers)
    assert cover is not None
    row = await work_store.publish_work(
        profile_id=profile_id,
        cover_asset_id=cover.asset_object_id,
        cover_image_src=read_path(cover.asset_object_id),
        columns=drafts.projection(draft),
        now=now,
    )
    return Projected(row, draft.theme or None, list(draft.tags))


async def _unproject(session: SessionState, session_id: str, now: datetime) -> tuple[str, int]:
    draft = drafts.stored_draft(session.draft)
    await mirror_draft(session_id=session_id, draft=draft, now=now)
    return drafts.stage_and_progress(draft, published=False)


SPEC: PublicationSpec[SessionState, SquareHoleWorkRow] = PublicationSpec(
    play_type=PlayType.SQUARE_HOLE,
    tables=work_store.TABLES,
    published_stage=SquareHoleStage.PUBLISHED.value,
    lock_session=session_store.lock_session,
    project=_project,
    unproject=_unproject,
    error=SquareHoleError,
    already_published=SquareHoleErrorCode.ALREADY_PUBLISHED,
    not_published=SquareHoleErrorCode.NOT_PUBLISHED,
    mutation_prefix="squareHole",
    not_found_message=NOT_FOUND_MESSAGE,
    public_code_prefix=PUBLIC_CODE_PREFIX,
    title_column="game_name",
    summary_column="summary_text",
    work_row=SquareHoleWorkRow.from_row,
)


async def owned_work(work_id: str, owner: str) -> dict[str, Any]:
    return await publication.owned_work(SPEC, work_id, owner)
