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

from db.transactions import write_transaction
from resolvers import clock
from resolvers.auth.public_users import public_user_by_id
from resolvers.creation import turns
from resolvers.creation.replies import describe_validation
from resolvers.errors import NotFound
from resolvers.gallery.play_types import PlayType
from resolvers.ids import new_id
from resolvers.pagination import Page
from resolvers.principal import Principal
from resolvers.square_hole import drafts
from resolvers.square_hole.adapter import mirror_draft, save_draft
from resolvers.square_hole.errors import SquareHoleError, SquareHoleErrorCode
from resolvers.square_hole.model import MAX_SEED_LENGTH, SquareHoleStage
from resolvers.square_hole.rows import SquareHoleSessionRow, SquareHoleWorkRow
from resolvers.square_hole.store import sessions as session_store
from resolvers.square_hole.store import works as work_store

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
        session = await session_store.insert_session(
            session_id=session_id,
            owner_user_id=owner,
            seed_text=seed,
            stage=SquareHoleStage.COLLECTING_ANCHORS.value,
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
    checked = checked_draft(draft) if draft is not None else None
    await turns.settle_sessions(play_type=PlayType.SQUARE_HOLE, session_ids=[session_id])
    now = clock.now()
    async with write_transaction():
        session = await session_store.lock_session(
            session_id=session_id, owner_user_id=owner, now=now
        )
        if session is None:
            raise NotFound(NOT_FOUND_MESSAGE)
        if seed is not None:
            await session_store.set_seed(session_id=session_id, seed_text=seed)
        if checked is not None:
            await save_draft(session_id=session_id, draft=checked, previous=session.draft, now=now)
            await mirror_draft(session_id=session_id, draft=checked, now=now)
        row = await session_store.session_by_id(session_id)
        work = await work_store.work_by_session(session_id)
    assert row is not None and work is not None
    return SessionAndWork(session=row, work=work)


async def owned_session(*, viewer: Principal, session_id: str) -> SquareHoleSessionRow:
    """The viewer's session, its finished turns applied first; NOT_FOUND otherwise."""
    owner = viewer.require_user()
    await turns.settle_sessions(play_type=PlayType.SQUARE_HOLE, session_ids=[session_id])
    row = await session_store.owned_session(session_id=session_id, owner_user_id=owner)
    if row is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    return row


async def sessions_of(
    *, user_id: str, first: int | None, after: str | None
) -> Page[SquareHoleSessionRow]:
    """The user's sessions, most recently changed first (finished turns applied first)."""
    await turns.settle_owner(owner_user_id=user_id)
    return await session_store.sessions_page(owner_user_id=user_id, first=first, after=after)


async def sessions_by_id(session_ids: Sequence[str]) -> dict[str, SquareHoleSessionRow]:
    return await session_store.sessions_by_ids(session_ids)
