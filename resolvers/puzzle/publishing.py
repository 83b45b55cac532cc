"""Publishing puzzles: publish, update a published work, unpublish.

The flow is the shared one (resolvers/play_types/publication.py); this module gives it
the puzzle's pieces: the gate on the session's current draft and the bound images, the
projection (draft and image snapshot, `publish_ready`), the mirror on unpublish, and the
`puzzle_event` (PUBLISHED, UPDATED, UNPUBLISHED) numbered in the owner's puzzle stream.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from piccolo.query.functions import Coalesce

from db.tables.puzzle import PuzzleEvent, PuzzleWorkProfile
from resolvers.assets.objects import read_path
from resolvers.creation.model import SessionState
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.gallery.play_types import PlayType
from resolvers.ids import new_id
from resolvers.play_types import publication
from resolvers.play_types.publication import Projected, PublicationEvent, PublicationSpec
from resolvers.principal import Principal
from resolvers.puzzle import drafts, store
from resolvers.puzzle.adapter import PROFILE_JSON, as_json, decoded, lock_session, mirror_draft
from resolvers.puzzle.errors import PuzzleError, PuzzleErrorCode, PuzzlePublishBlocked
from resolvers.puzzle.gate import blockers, bound_images
from resolvers.puzzle.model import PuzzleEventKind, PuzzleStage, owner_stream
from resolvers.puzzle.rows import PuzzleWorkRow
from subscriptions import streams

NOT_FOUND_MESSAGE = "No such puzzle work."
Profile = PuzzleWorkProfile
# Public work codes: `PZ` and 10 random base32 characters (50 bits), unique by their index.
PUBLIC_CODE_PREFIX = "PZ"
PUBLIC_CODE_LENGTH = publication.PUBLIC_CODE_LENGTH


async def _record(
    event: PublicationEvent, work: dict[str, Any], now: datetime
) -> list[streams.StreamEntry]:
    kind = PuzzleEventKind(event.value)
    event_id = new_id()
    await PuzzleEvent.insert(
        PuzzleEvent(
            event_id=event_id,
            profile_id=work["profile_id"],
            work_id=work["work_id"],
            session_id=work["source_session_id"],
            owner_user_id=work["owner_user_id"],
            event_kind=kind.value,
            occurred_at=now,
        )
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
    rows = (
        await Profile.update(
            {
                Profile.work_title: card.work_title,
                Profile.work_description: card.work_description,
                Profile.level_name: card.level_name,
                Profile.summary: card.summary,
                Profile.theme_tags_json: as_json(card.theme_tags_json),
                Profile.levels_json: as_json(drafts.levels_json(draft, level_images)),
                Profile.anchor_pack_json: as_json(card.anchor_pack_json),
                Profile.cover_asset_id: images.cover.asset_object_id,
                Profile.cover_image_src: read_path(images.cover.asset_object_id),
                Profile.publication_status: WorkPublicationStatus.PUBLISHED.value,
                Profile.publish_ready: True,
                # The first publication's time stays through later updates.
                Profile.published_at: Coalesce(Profile.published_at, now),
                Profile.updated_at: now,
            }
        )
        .where(Profile.profile_id == profile_id)
        .returning(*Profile.all_columns())
    )
    return Projected(decoded(rows[0], PROFILE_JSON), draft.theme or None, list(draft.tags))


async def _unproject(session: SessionState, session_id: str, now: datetime) -> tuple[str, int]:
    draft = drafts.stored_draft(session.draft)
    await mirror_draft(session_id=session_id, draft=draft, seed_text=session.seed_text, now=now)
    return drafts.stage_and_progress(draft, published=False)


SPEC: PublicationSpec[SessionState, PuzzleWorkRow] = PublicationSpec(
    play_type=PlayType.PUZZLE,
    tables=store.TABLES,
    published_stage=PuzzleStage.PUBLISHED.value,
    lock_session=lock_session,
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
