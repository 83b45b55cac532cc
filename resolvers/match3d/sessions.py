"""Match3D creation sessions: the form entry, autosave, and owner-checked reads.

The form entry (`start_session`) creates a session from a seed and its draft work at once,
in one transaction: the work is among the creator's works with no cover. Autosave writes
the session's `seed_text`, `draft_json` (validated as a `Match3dDraft`) and `config_json`
(the draft's play configuration); the stage stays where it is and a draft work's card
follows the draft. No write here touches the work's `generated_item_assets_json`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from db.tables.match3d import Match3dAgentSession, Match3dWorkProfile
from db.transactions import write_transaction
from resolvers import clock
from resolvers.auth.public_users import public_user_by_id
from resolvers.creation import turns
from resolvers.creation.replies import describe_validation
from resolvers.errors import BadUserInput, NotFound
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.gallery.play_types import PlayType
from resolvers.ids import new_id
from resolvers.match3d import drafts
from resolvers.match3d.adapter import lock_session, save_draft
from resolvers.match3d.errors import Match3dError, Match3dErrorCode
from resolvers.match3d.model import MAX_SEED_LENGTH, Match3dStage
from resolvers.match3d.rows import Match3dSessionRow, Match3dWorkRow
from resolvers.pagination import Page, build_page, decode_cursor, page_size
from resolvers.principal import Principal

NOT_FOUND_MESSAGE = "No such Match3D session."


@dataclass(frozen=True, slots=True)
class SessionAndWork:
    session: Match3dSessionRow
    work: Match3dWorkRow


def _seed(seed_text: str) -> str:
    cleaned = seed_text.strip()
    if len(cleaned) > MAX_SEED_LENGTH or "\x00" in cleaned:
        raise Match3dError(
            Match3dErrorCode.SEED_INVALID,
            f"The seed takes at most {MAX_SEED_LENGTH} characters.",
            field="seedText",
        )
    return cleaned


def checked_draft(data: dict[str, Any], previous: drafts.Match3dDraft) -> drafts.Match3dDraft:
    """A draft from the form, validated; DRAFT_INVALID (nothing written) otherwise. Items
    without an id keep the previous item's of the same name, or get a new one."""
    try:
        return drafts.Match3dDraft.model_validate(drafts.with_item_ids(data, previous))
    except ValidationError as error:
        raise Match3dError(
            Match3dErrorCode.DRAFT_INVALID, describe_validation(error), field="draft"
        ) from None


async def start_session(*, viewer: Principal, seed_text: str = "") -> SessionAndWork:
    """A session from a seed and its draft work, at once."""
    owner = viewer.require_user()
    seed = _seed(seed_text)
    now = clock.now()
    session_id, profile_id = new_id(), new_id()
    columns = drafts.projection(drafts.EMPTY_DRAFT)
    async with write_transaction():
        author = await public_user_by_id(owner)
        sessions = await Match3dAgentSession.insert(
            Match3dAgentSession(
                session_id=session_id,
                owner_user_id=owner,
                seed_text=seed,
                current_turn=0,
                progress_percent=0,
                stage=Match3dStage.COLLECTING_ANCHORS.value,
                config_json=columns["config_json"],
                draft_json=None,
                last_assistant_reply=None,
                published_profile_id=None,
                created_at=now,
                updated_at=now,
            )
        ).returning(*Match3dAgentSession.all_columns())
        works = await Match3dWorkProfile.insert(
            Match3dWorkProfile(
                profile_id=profile_id,
                owner_user_id=owner,
                source_session_id=session_id,
                author_display_name=author.display_name if author else "",
                game_name=columns["game_name"],
                theme_text=columns["theme_text"],
                summary_text=columns["summary_text"],
                tags_json=columns["tags_json"],
                cover_image_src=None,
                cover_asset_id=None,
                clear_count=columns["clear_count"],
                difficulty=columns["difficulty"],
                config_json=columns["config_json"],
                publication_status=WorkPublicationStatus.DRAFT.value,
                play_count=0,
                updated_at=now,
                published_at=None,
                generated_item_assets_json=None,
                created_at=now,
                public_work_code=None,
            )
        ).returning(*Match3dWorkProfile.all_columns())
    return SessionAndWork(
        session=Match3dSessionRow.from_row(sessions[0]), work=Match3dWorkRow.from_row(works[0])
    )


async def autosave(
    *,
    viewer: Principal,
    session_id: str,
    seed_text: str | None = None,
    draft: dict[str, Any] | None = None,
) -> SessionAndWork:
    """Save the form: the seed and/or the whole draft (validated). NOT_FOUND for a session
    that is not the viewer's; a refused draft writes nothing."""
    owner = viewer.require_user()
    seed = _seed(seed_text) if seed_text is not None else None
    await turns.settle_sessions(play_type=PlayType.MATCH3D, session_ids=[session_id])
    now = clock.now()
    async with write_transaction():
        session = await lock_session(session_id=session_id, owner_user_id=owner, now=now)
        if session is None:
            raise NotFound(NOT_FOUND_MESSAGE)
        previous = drafts.stored_draft(session.draft)
        new_draft = checked_draft(draft, previous) if draft is not None else previous
        new_seed = seed if seed is not None else session.seed_text
        row = await save_draft(session=session, draft=new_draft, now=now, seed_text=new_seed)
        work = (
            await Match3dWorkProfile.select()
            .where(Match3dWorkProfile.source_session_id == session_id)
            .output(load_json=True)
            .first()
        )
    assert work is not None
    return SessionAndWork(
        session=Match3dSessionRow.from_row(row), work=Match3dWorkRow.from_row(work)
    )


async def owned_session(*, viewer: Principal, session_id: str) -> Match3dSessionRow:
    """The viewer's session, its finished turns applied first; NOT_FOUND otherwise."""
    owner = viewer.require_user()
    await turns.settle_sessions(play_type=PlayType.MATCH3D, session_ids=[session_id])
    row = (
        await Match3dAgentSession.select()
        .where(
            (Match3dAgentSession.session_id == session_id)
            & (Match3dAgentSession.owner_user_id == owner)
        )
        .output(load_json=True)
        .first()
    )
    if row is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    return Match3dSessionRow.from_row(row)


async def sessions_of(
    *, user_id: str, first: int | None, after: str | None
) -> Page[Match3dSessionRow]:
    """The user's sessions, most recently changed first (finished turns applied first)."""
    size = page_size(first)
    await turns.settle_owner(owner_user_id=user_id)
    query = Match3dAgentSession.select().where(Match3dAgentSession.owner_user_id == user_id)
    if after is not None:
        updated_at, session_id = decode_cursor(after, size=2)
        moment = moment_of(updated_at)
        query = query.where(
            (Match3dAgentSession.updated_at < moment)
            | (
                (Match3dAgentSession.updated_at == moment)
                & (Match3dAgentSession.session_id < str(session_id))
            )
        )
    rows = (
        await query.order_by(Match3dAgentSession.updated_at, ascending=False)
        .order_by(Match3dAgentSession.session_id, ascending=False)
        .limit(size + 1)
        .output(load_json=True)
    )
    page = build_page(rows, size, lambda row: [row["updated_at"].isoformat(), row["session_id"]])
    return page.map(Match3dSessionRow.from_row)


async def sessions_by_id(session_ids: Sequence[str]) -> dict[str, Match3dSessionRow]:
    if not session_ids:
        return {}
    rows = (
        await Match3dAgentSession.select()
        .where(Match3dAgentSession.session_id.is_in(list(session_ids)))
        .output(load_json=True)
    )
    return {row["session_id"]: Match3dSessionRow.from_row(row) for row in rows}


def moment_of(value: Any) -> datetime:
    """A cursor's timestamp; BAD_USER_INPUT for one that is not."""
    try:
        return datetime.fromisoformat(str(value))
    except ValueError as error:
        raise BadUserInput("Invalid cursor.") from error
