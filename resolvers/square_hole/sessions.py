"""Square-hole creation sessions: the form entry, autosave, and owner-checked reads.

The form entry (`start_session`) creates an empty session from a seed and its draft work
at once, in one transaction: the work appears among the creator's works as a draft with no
cover. Autosave saves the seed and/or the whole draft (validated as a `SquareHoleDraft`;
its `config` goes to `config_json` too); the stage stays where it is and a draft work's
card follows the draft.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from db.tables.square_hole import SquareHoleAgentSession, SquareHoleWorkProfile
from db.transactions import write_transaction
from resolvers import clock
from resolvers.auth.public_users import public_user_by_id
from resolvers.creation import turns
from resolvers.creation.replies import describe_validation
from resolvers.errors import NotFound
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.gallery.play_types import PlayType
from resolvers.ids import new_id
from resolvers.pagination import Page, keyset_page
from resolvers.principal import Principal
from resolvers.square_hole import drafts
from resolvers.square_hole.adapter import lock_session, mirror_draft, save_draft
from resolvers.square_hole.errors import SquareHoleError, SquareHoleErrorCode
from resolvers.square_hole.model import MAX_SEED_LENGTH, SquareHoleStage
from resolvers.square_hole.rows import SquareHoleSessionRow, SquareHoleWorkRow

NOT_FOUND_MESSAGE = "No such square-hole session."


@dataclass(frozen=True, slots=True)
class SessionAndWork:
    session: SquareHoleSessionRow
    work: SquareHoleWorkRow


def _seed(seed_text: str) -> str:
    cleaned = seed_text.strip()
    if len(cleaned) > MAX_SEED_LENGTH or "\x00" in cleaned:
        raise SquareHoleError(
            SquareHoleErrorCode.SEED_INVALID,
            f"The seed takes at most {MAX_SEED_LENGTH} characters.",
            field="seedText",
        )
    return cleaned


def checked_draft(data: dict[str, Any]) -> drafts.SquareHoleDraft:
    """A draft from the form, validated; DRAFT_INVALID (nothing written) otherwise."""
    try:
        return drafts.SquareHoleDraft.model_validate(data)
    except ValidationError as error:
        raise SquareHoleError(
            SquareHoleErrorCode.DRAFT_INVALID, describe_validation(error), field="draft"
        ) from None


async def start_session(*, viewer: Principal, seed_text: str = "") -> SessionAndWork:
    """The form entry: an empty session from the seed and its draft work, at once."""
    owner = viewer.require_user()
    seed = _seed(seed_text)
    now = clock.now()
    session_id, profile_id = new_id(), new_id()
    columns = drafts.projection(drafts.EMPTY_DRAFT)
    async with write_transaction():
        author = await public_user_by_id(owner)
        sessions = await SquareHoleAgentSession.insert(
            SquareHoleAgentSession(
                session_id=session_id,
                owner_user_id=owner,
                seed_text=seed,
                current_turn=0,
                progress_percent=0,
                stage=SquareHoleStage.COLLECTING_ANCHORS.value,
                config_json=columns["config_json"],
                draft_json=None,
                last_assistant_reply=None,
                published_profile_id=None,
                created_at=now,
                updated_at=now,
            )
        ).returning(*SquareHoleAgentSession.all_columns())
        works = await SquareHoleWorkProfile.insert(
            SquareHoleWorkProfile(
                profile_id=profile_id,
                work_id=profile_id,  # the gallery keys works by profile id
                owner_user_id=owner,
                source_session_id=session_id,
                author_display_name=author.display_name if author else "",
                game_name=columns["game_name"],
                theme_text=columns["theme_text"],
                twist_rule=columns["twist_rule"],
                summary_text=columns["summary_text"],
                tags_json=columns["tags_json"],
                cover_image_src=None,
                shape_count=columns["shape_count"],
                difficulty=columns["difficulty"],
                config_json=columns["config_json"],
                publication_status=WorkPublicationStatus.DRAFT.value,
                play_count=0,
                updated_at=now,
                published_at=None,
                cover_asset_id=None,
                created_at=now,
                public_work_code=None,
            )
        ).returning(*SquareHoleWorkProfile.all_columns())
    return SessionAndWork(
        session=SquareHoleSessionRow.from_row(sessions[0]),
        work=SquareHoleWorkRow.from_row(works[0]),
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
    checked = checked_draft(draft) if draft is not None else None
    await turns.settle_sessions(play_type=PlayType.SQUARE_HOLE, session_ids=[session_id])
    now = clock.now()
    async with write_transaction():
        session = await lock_session(session_id=session_id, owner_user_id=owner, now=now)
        if session is None:
            raise NotFound(NOT_FOUND_MESSAGE)
        if seed is not None:
            await SquareHoleAgentSession.update({SquareHoleAgentSession.seed_text: seed}).where(
                SquareHoleAgentSession.session_id == session_id
            )
        if checked is not None:
            await save_draft(session_id=session_id, draft=checked, previous=session.draft, now=now)
            await mirror_draft(session_id=session_id, draft=checked, now=now)
        row = (
            await SquareHoleAgentSession.select()
            .where(SquareHoleAgentSession.session_id == session_id)
            .output(load_json=True)
            .first()
        )
        work = (
            await SquareHoleWorkProfile.select()
            .where(SquareHoleWorkProfile.source_session_id == session_id)
            .output(load_json=True)
            .first()
        )
    assert row is not None and work is not None
    return SessionAndWork(
        session=SquareHoleSessionRow.from_row(row), work=SquareHoleWorkRow.from_row(work)
    )


async def owned_session(*, viewer: Principal, session_id: str) -> SquareHoleSessionRow:
    """The viewer's session, its finished turns applied first; NOT_FOUND otherwise."""
    owner = viewer.require_user()
    await turns.settle_sessions(play_type=PlayType.SQUARE_HOLE, session_ids=[session_id])
    row = (
        await SquareHoleAgentSession.select()
        .where(
            (SquareHoleAgentSession.session_id == session_id)
            & (SquareHoleAgentSession.owner_user_id == owner)
        )
        .output(load_json=True)
        .first()
    )
    if row is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    return SquareHoleSessionRow.from_row(row)


async def sessions_of(
    *, user_id: str, first: int | None, after: str | None
) -> Page[SquareHoleSessionRow]:
    """The user's sessions, most recently changed first (finished turns applied first)."""
    await turns.settle_owner(owner_user_id=user_id)
    page = await keyset_page(
        SquareHoleAgentSession,
        SquareHoleAgentSession.updated_at,
        SquareHoleAgentSession.session_id,
        first=first,
        after=after,
        where=SquareHoleAgentSession.owner_user_id == user_id,
        load_json=True,
    )
    return page.map(SquareHoleSessionRow.from_row)


async def sessions_by_id(session_ids: Sequence[str]) -> dict[str, SquareHoleSessionRow]:
    if not session_ids:
        return {}
    rows = (
        await SquareHoleAgentSession.select()
        .where(SquareHoleAgentSession.session_id.is_in(list(session_ids)))
        .output(load_json=True)
    )
    return {row["session_id"]: SquareHoleSessionRow.from_row(row) for row in rows}
