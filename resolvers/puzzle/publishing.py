"""Publishing puzzles: publish, update a published work, unpublish.

The flow is the shared one (resolvers/play_types/publication.py); this module gives it
the puzzle's pieces: the gate on the session's current draft and the bound images, the
projection (draft and image snapshot, `publish_ready`), the mirror on unpublish, and the
`puzzle_event` (PUBLISHED, UPDATED, UNPUBLISHED) numbered in the owner's puzzle stream.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from resolvers.assets.objects import read_path
from resolvers.creation.model import SessionState
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.gallery.play_types import PlayType
from resolvers.ids import new_id
from resolvers.play_types import publication
from resolvers.play_types.publication import Projected, PublicationEvent, PublicationSpec
from resolvers.principal import Principal
from resolvers.puzzle import drafts
from resolvers.puzzle.adapter import mirror_draft
from resolvers.puzzle.errors import PuzzleError, PuzzleErrorCode, PuzzlePublishBlocked
from resolvers.puzzle.gate import blockers, bound_images
from resolvers.puzzle.model import PuzzleEventKind, PuzzleStage, owner_stream
from resolvers.puzzle.rows import PuzzleWorkRow
from resolvers.puzzle.store import sessions as session_store
from resolvers.puzzle.store import works as work_store
from subscriptions import streams

NOT_FOUND_MESSAGE = "No such puzzle work."
# Public work codes: `PZ` and 10 random base32 characters (50 bits), unique by their index.
PUBLIC_CODE_PREFIX = "PZ"
PUBLIC_CODE_LENGTH = publication.PUBLIC_CODE_LENGTH


async def _record(
    event: PublicationEvent, work: dict[str, Any], now: datetime
) -> list[streams.StreamEntry]:
    kind = PuzzleEventKind(event.value)
    event_id = new_id()
    await work_store.insert_event(
        event_id=event_id,
        profile_id=work["profile_id"],
        work_id=work["work_id"],
        session_id=work["source_session_id"],
        owner_user_id=work["owner_user_id"],
        kind=kind.value,
        now=now,
    )
    return await streams.append(
        [owner_stream(work["owner_user_id"])], kind=kind.value, event_id=event_id, occurred_at=now
    )


async def _project(session: SessionState, profile_id: str, now: datetime) -> Projected:
    draft = drafts.stored_draft(session.draft)
    images = (await bound_images({profile_id: [level.level_id for level in draft.levels]}))[
        profile_id
    ]
    found_blockers = blockers(draft, images)
    if found_blockers:
        raise PuzzlePublishBlocked(found_blockers)
    assert images.cover is not None
    card = drafts.projection(draft, session.seed_text)
    level_images = {level_id: asset.asset_object_id for level_id, asset in images.levels.items()}
    row = await work_store.project_publication(
        profile_id=profile_id,
        card=card,
        levels_json=drafts.levels_json(draft, level_images),
        cover_asset_id=images.cover.asset_object_id,
        cover_image_src=read_path(images.cover.asset_object_id),
        now=now,
    )
    return Projected(row, draft.theme or None, list(draft.tags))


async def _unproject(session: SessionState, session_id: str, now: datetime) -> tuple[str, int]:
    draft = drafts.stored_draft(session.draft)
    await mirror_draft(session_id=session_id, draft=draft, seed_text=session.seed_text, now=now)
    return drafts.stage_and_progress(draft, published=False)


SPEC: PublicationSpec[SessionState, PuzzleWorkRow] = PublicationSpec(
    play_type=PlayType.PUZZLE,
    tables=work_store.TABLES,
    published_stage=PuzzleStage.PUBLISHED.value,
    lock_session=session_store.lock_session,
    project=_project,
    unproject=_unproject,
    error=PuzzleError,
    already_published=PuzzleErrorCode.ALREADY_PUBLISHED,
    not_published=PuzzleErrorCode.NOT_PUBLISHED,
    mutation_prefix="puzzle",
    not_found_message=NOT_FOUND_MESSAGE,
    public_code_prefix=PUBLIC_CODE_PREFIX,
    title_column="work_title",
    summary_column="work_description",
    claim_returning="*",
    clears_publish_ready=True,
    record=_record,
    work_row=PuzzleWorkRow.from_row,
)


async def owned_session_id(work_id: str, owner: str) -> str | None:
    """The creation session of the owner's work; NOT_FOUND for anyone else's."""
    found = await publication.owned_work(SPEC, work_id, owner)
    session_id: str | None = found["source_session_id"]
    return session_id


async def publish_work(*, viewer: Principal, work_id: str) -> PuzzleWorkRow:
    """Publish a draft work (the plugin's `publish`; tests call it directly)."""
    return await publication.publish(
        SPEC, viewer=viewer, work_id=work_id, expected=WorkPublicationStatus.DRAFT
    )
