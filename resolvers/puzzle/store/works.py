"""Puzzle's work statements: the work profile (its draft card, the publication's
projection, the reads by public code and for asset bindings) and the owner's puzzle
events; and the tables the play-type contract's shared statements run on."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from piccolo.query.functions import Coalesce

from db.tables.puzzle import PuzzleAgentSession, PuzzleEvent, PuzzleWorkProfile
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.play_types.rows import as_json, decoded
from resolvers.play_types.tables import DraftColumn, WorkTables
from resolvers.puzzle.rows import PuzzleEventRow, PuzzleWorkRow, WorkCard

Profile = PuzzleWorkProfile
PROFILE_JSON = ("theme_tags_json", "levels_json", "anchor_pack_json")

# The tables the contract's shared reads and publication run on.
TABLES = WorkTables(profile=PuzzleWorkProfile, session=PuzzleAgentSession)
DRAFT = DraftColumn(PuzzleAgentSession, "draft_json")


async def insert_work(
    *,
    profile_id: str,
    work_id: str,
    owner_user_id: str,
    session_id: str,
    author_display_name: str,
    card: WorkCard,
    now: datetime,
) -> PuzzleWorkRow:
    """A new draft work made in `session_id`, with no cover and not ready to publish."""
    rows = await Profile.insert(
        Profile(
            profile_id=profile_id,
            work_id=work_id,
            owner_user_id=owner_user_id,
            source_session_id=session_id,
            author_display_name=author_display_name,
            work_title=card.work_title,
            work_description=card.work_description,
            level_name=card.level_name,
            summary=card.summary,
            theme_tags_json=as_json(card.theme_tags_json),
            cover_image_src=None,
            cover_asset_id=None,
            levels_json=as_json(card.levels_json),
            publication_status=WorkPublicationStatus.DRAFT.value,
            play_count=0,
            anchor_pack_json=as_json(card.anchor_pack_json),
            publish_ready=False,
            created_at=now,
            updated_at=now,
            published_at=None,
            public_work_code=None,
        )
    ).returning(*Profile.all_columns())
    return PuzzleWorkRow.from_row(rows[0])


async def mirror_draft(*, session_id: str, card: WorkCard, now: datetime) -> None:
    """Write the card onto the session's work while it is a draft."""
    await Profile.update(
        {
            Profile.work_title: card.work_title,
            Profile.work_description: card.work_description,
            Profile.level_name: card.level_name,
            Profile.summary: card.summary,
            Profile.theme_tags_json: as_json(card.theme_tags_json),
            Profile.levels_json: as_json(card.levels_json),
            Profile.anchor_pack_json: as_json(card.anchor_pack_json),
            Profile.publish_ready: False,
            Profile.updated_at: now,
        }
    ).where(
        (Profile.source_session_id == session_id)
        & (Profile.publication_status == WorkPublicationStatus.DRAFT.value)
    )


async def project_publication(
    *,
    profile_id: str,
    card: WorkCard,
    levels_json: list[dict[str, Any]],
    cover_asset_id: str,
    cover_image_src: str,
    now: datetime,
) -> dict[str, Any]:
    """Publish the card, levels with images and cover; the updated row, JSON decoded."""
    rows = (
        await Profile.update(
            {
                Profile.work_title: card.work_title,
                Profile.work_description: card.work_description,
                Profile.level_name: card.level_name,
                Profile.summary: card.summary,
                Profile.theme_tags_json: as_json(card.theme_tags_json),
                Profile.levels_json: as_json(levels_json),
                Profile.anchor_pack_json: as_json(card.anchor_pack_json),
                Profile.cover_asset_id: cover_asset_id,
                Profile.cover_image_src: cover_image_src,
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
    return decoded(rows[0], PROFILE_JSON)


async def work_by_session(session_id: str) -> PuzzleWorkRow | None:
    """The work made in a session."""
    row = (
        await Profile.select()
        .where(Profile.source_session_id == session_id)
        .output(load_json=True)
        .first()
    )
    return PuzzleWorkRow.from_row(row) if row is not None else None


async def published_work_by_code(public_work_code: str) -> PuzzleWorkRow | None:
    """The published work of a public code."""
    row = (
        await Profile.select()
        .where(
            (Profile.public_work_code == public_work_code)
            & (Profile.publication_status == WorkPublicationStatus.PUBLISHED.value)
        )
        .output(load_json=True)
        .first()
    )
    return PuzzleWorkRow.from_row(row) if row is not None else None


async def binding_row(work_id: str) -> dict[str, Any] | None:
    """A work's owner, status, levels and its session's draft (JSON as stored), or None."""
    # Raw: a LEFT JOIN to the session, which the builder cannot write without a foreign key.
    rows = await Profile.raw(
        "SELECT p.owner_user_id, p.publication_status, p.levels_json, s.draft_json "
        "FROM puzzle_work_profile p LEFT JOIN puzzle_agent_session s "
        "ON s.session_id = p.source_session_id WHERE p.profile_id = {}",
        work_id,
    )
    return dict(rows[0]) if rows else None


async def insert_event(
    *,
    event_id: str,
    profile_id: str,
    work_id: str,
    session_id: str | None,
    owner_user_id: str,
    kind: str,
    now: datetime,
) -> None:
    """A puzzle event of the owner's stream."""
    await PuzzleEvent.insert(
        PuzzleEvent(
            event_id=event_id,
            profile_id=profile_id,
            work_id=work_id,
            session_id=session_id,
            owner_user_id=owner_user_id,
            event_kind=kind,
            occurred_at=now,
        )
    )


async def events_by_ids(event_ids: list[str]) -> dict[str, PuzzleEventRow]:
    """Puzzle events by id, one statement (none for no ids)."""
    if not event_ids:
        return {}
    rows = await PuzzleEvent.select().where(PuzzleEvent.event_id.is_in(event_ids))
    return {row["event_id"]: PuzzleEventRow.from_row(row) for row in rows}
