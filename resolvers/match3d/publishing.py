"""Publishing Match3D works: publish, update a published work, unpublish.

The flow is the shared one (resolvers/play_types/publication.py); this module gives it
Match3D's pieces: the gate on the session's current draft and the bound images, the
projection (the draft's columns, its `config_json` with each item's cut image) and the
mirror on unpublish. None of them writes `generated_item_assets_json`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from resolvers.assets.objects import read_path
from resolvers.creation.model import SessionState
from resolvers.gallery.play_types import PlayType
from resolvers.match3d import drafts
from resolvers.match3d.adapter import mirror_draft
from resolvers.match3d.errors import Match3dError, Match3dErrorCode, Match3dPublishBlocked
from resolvers.match3d.gate import blockers, bound_images
from resolvers.match3d.model import Match3dStage
from resolvers.match3d.rows import Match3dWorkRow
from resolvers.match3d.store import sessions as session_store
from resolvers.match3d.store import works as work_store
from resolvers.play_types import publication
from resolvers.play_types.publication import Projected, PublicationSpec

NOT_FOUND_MESSAGE = "No such Match3D work."
# Public work codes: `M3` and 10 random base32 characters (50 bits), unique by their index.
PUBLIC_CODE_PREFIX = "M3"
PUBLIC_CODE_LENGTH = publication.PUBLIC_CODE_LENGTH


async def _project(session: SessionState, profile_id: str, now: datetime) -> Projected:
    draft = drafts.stored_draft(session.draft)
    images = (await bound_images([profile_id]))[profile_id]
    found_blockers = blockers(draft, images)
    if found_blockers:
        raise Match3dPublishBlocked(found_blockers)
    assert images.cover is not None
    item_images = {item_id: asset.asset_object_id for item_id, asset in images.items.items()}
    # The published configuration names each item's cut image; the draft's does not.
    columns = {**drafts.projection(draft), "config_json": drafts.config_json(draft, item_images)}
    row = await work_store.project_publication(
        profile_id=profile_id,
        columns=columns,
        cover_asset_id=images.cover.asset_object_id,
        cover_image_src=read_path(images.cover.asset_object_id),
        now=now,
    )
    return Projected(row, draft.theme or None, list(draft.tags))


async def _unproject(session: SessionState, session_id: str, now: datetime) -> tuple[str, int]:
    draft = drafts.stored_draft(session.draft)
    await mirror_draft(session_id=session_id, draft=draft, now=now)
    return drafts.stage_and_progress(draft, published=False)


SPEC: PublicationSpec[SessionState, Match3dWorkRow] = PublicationSpec(
    play_type=PlayType.MATCH3D,
    tables=work_store.TABLES,
    published_stage=Match3dStage.PUBLISHED.value,
    lock_session=session_store.lock_session,
    project=_project,
    unproject=_unproject,
    error=Match3dError,
    already_published=Match3dErrorCode.ALREADY_PUBLISHED,
    not_published=Match3dErrorCode.NOT_PUBLISHED,
    mutation_prefix="match3d",
    not_found_message=NOT_FOUND_MESSAGE,
    public_code_prefix=PUBLIC_CODE_PREFIX,
    title_column="game_name",
    summary_column="summary_text",
    work_row=Match3dWorkRow.from_row,
)


async def owned_work(work_id: str, owner: str) -> dict[str, Any]:
    return await publication.owned_work(SPEC, work_id, owner)
