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

from db.transactions import write_transaction
from resolvers import clock
from resolvers.auth.public_users import public_user_by_id
from resolvers.creation import turns
from resolvers.creation.replies import describe_validation
from resolvers.errors import BadUserInput, NotFound
from resolvers.gallery.play_types import PlayType
from resolvers.ids import new_id
from resolvers.match3d import drafts
from resolvers.match3d.adapter import save_draft
from resolvers.match3d.errors import Match3dError, Match3dErrorCode
from resolvers.match3d.model import MAX_SEED_LENGTH, Match3dStage
from resolvers.match3d.rows import Match3dSessionRow, Match3dWorkRow
from resolvers.match3d.store import sessions as session_store
from resolvers.match3d.store import works as work_store
from resolvers.pagination import Page, decode_cursor, page_size
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
        session = await session_store.insert_session(
            session_id=session_id,
            owner_user_id=owner,
            seed_text=seed,
            stage=Match3dStage.COLLECTING_ANCHORS.value,
            config_json=columns["config_json"],
            now=now,
        )
        work = await work_store.insert_work(
            profile_id=profile_id,
            owner_user_id=owner,
            session_id=session_id,
            author_display_name=author.display_name if author else "",
            columns=columns,
            now=now,
        )
    return SessionAndWork(session=session, work=work)


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
        session = await session_store.lock_session(
            session_id=session_id, owner_user_id=owner, now=now
        )
        if session is None:
            raise NotFound(NOT_FOUND_MESSAGE)
        previous = drafts.stored_draft(session.draft)
        new_draft = checked_draft(draft, previous) if draft is not None else previous
        new_seed = seed if seed is not None else session.seed_text
        row = await save_draft(session=session, draft=new_draft, now=now, seed_text=new_seed)
        work = await work_store.work_by_session(session_id)
    assert work is not None
    return SessionAndWork(session=row, work=work)


async def owned_session(*, viewer: Principal, session_id: str) -> Match3dSessionRow:
    """The viewer's session, its finished turns applied first; NOT_FOUND otherwise."""
    owner = viewer.require_user()
    await turns.settle_sessions(play_type=PlayType.MATCH3D, session_ids=[session_id])
    row = await session_store.owned_session(session_id=session_id, owner_user_id=owner)
    if row is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    return row


async def sessions_of(
    *, user_id: str, first: int | None, after: str | None
) -> Page[Match3dSessionRow]:
    """The user's sessions, most recently changed first (finished turns applied first)."""
    size = page_size(first)
    await turns.settle_owner(owner_user_id=user_id)
    position = None
    if after is not None:
        updated_at, session_id = decode_cursor(after, size=2)
        position = (moment_of(updated_at), str(session_id))
    return await session_store.sessions_page(owner_user_id=user_id, size=size, after=position)


async def sessions_by_id(session_ids: Sequence[str]) -> dict[str, Match3dSessionRow]:
    return await session_store.sessions_by_id(session_ids)


def moment_of(value: Any) -> datetime:
    """A cursor's timestamp; BAD_USER_INPUT for one that is not."""
    try:
        return datetime.fromisoformat(str(value))
    except ValueError as error:
        raise BadUserInput("Invalid cursor.") from error
