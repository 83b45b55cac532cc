"""Puzzle creation sessions: the form entry, autosave, and owner-checked reads.

The form entry (`start_session`) creates an empty session and its draft work at once, in
one transaction: the work appears among the creator's works with no cover and
`publish_ready = false`. Autosave reuses the session's `seed_text` and `draft_json` (the
draft validated as a `PuzzleDraft`); the stage stays where it is (`collecting_anchors`
for a fresh form) and a draft work's card follows the draft.
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
from resolvers.pagination import Page, decode_cursor, page_size
from resolvers.principal import Principal
from resolvers.puzzle import drafts
from resolvers.puzzle.adapter import mirror_draft
from resolvers.puzzle.errors import PuzzleError, PuzzleErrorCode
from resolvers.puzzle.model import MAX_SEED_LENGTH, PuzzleStage
from resolvers.puzzle.rows import PuzzleSessionRow, PuzzleWorkRow
from resolvers.puzzle.store import sessions as session_store
from resolvers.puzzle.store import works as work_store

NOT_FOUND_MESSAGE = "No such puzzle session."


@dataclass(frozen=True, slots=True)
class SessionAndWork:
    session: PuzzleSessionRow
    work: PuzzleWorkRow


def _seed(seed_text: str) -> str:
    cleaned = seed_text.strip()
    if len(cleaned) > MAX_SEED_LENGTH or "\x00" in cleaned:
        raise PuzzleError(
            PuzzleErrorCode.SEED_INVALID,
            f"The seed takes at most {MAX_SEED_LENGTH} characters.",
            field="seedText",
        )
    return cleaned


def checked_draft(data: dict[str, Any]) -> drafts.PuzzleDraft:
    """A draft from the form, validated; DRAFT_INVALID (nothing written) otherwise.
    Levels without an id get a new one."""
    levels = data.get("levels")
    if isinstance(levels, list):
        data = {
            **data,
            "levels": [
                {**level, "levelId": level.get("levelId") or new_id()}
                if isinstance(level, dict)
                else level
                for level in levels
            ],
        }
    try:
        return drafts.PuzzleDraft.model_validate(data)
    except ValidationError as error:
        raise PuzzleError(
            PuzzleErrorCode.DRAFT_INVALID, describe_validation(error), field="draft"
        ) from None


async def start_session(*, viewer: Principal, seed_text: str = "") -> SessionAndWork:
    """The form entry: an empty session and its draft work, at once."""
    owner = viewer.require_user()
    seed = _seed(seed_text)
    now = clock.now()
    session_id, profile_id = new_id(), new_id()
    work_id = profile_id  # the gallery keys works by profile id
    async with write_transaction():
        author = await public_user_by_id(owner)
        session = await session_store.insert_session(
            session_id=session_id,
            owner_user_id=owner,
            seed_text=seed,
            stage=PuzzleStage.COLLECTING_ANCHORS.value,
            anchor_pack=drafts.anchor_pack(drafts.EMPTY_DRAFT, seed),
            now=now,
        )
        work = await work_store.insert_work(
            profile_id=profile_id,
            work_id=work_id,
            owner_user_id=owner,
            session_id=session_id,
            author_display_name=author.display_name if author else "",
            card=drafts.projection(drafts.EMPTY_DRAFT, seed),
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
    await turns.settle_sessions(play_type=PlayType.PUZZLE, session_ids=[session_id])
    now = clock.now()
    async with write_transaction():
        session = await session_store.lock_session(
            session_id=session_id, owner_user_id=owner, now=now
        )
        if session is None:
            raise NotFound(NOT_FOUND_MESSAGE)
        new_seed = seed if seed is not None else session.seed_text
        new_draft = checked if checked is not None else drafts.stored_draft(session.draft)
        saved = await session_store.save_form(
            session_id=session_id,
            seed_text=new_seed,
            draft_json=drafts.stored_json(new_draft, session.draft)
            if checked is not None or session.draft
            else None,
            anchor_pack=drafts.anchor_pack(new_draft, new_seed),
            now=now,
        )
        await mirror_draft(session_id=session_id, draft=new_draft, seed_text=new_seed, now=now)
        work = await work_store.work_by_session(session_id)
    assert work is not None
    return SessionAndWork(session=saved, work=work)


async def owned_session(*, viewer: Principal, session_id: str) -> PuzzleSessionRow:
    """The viewer's session, its finished turns applied first; NOT_FOUND otherwise."""
    owner = viewer.require_user()
    await turns.settle_sessions(play_type=PlayType.PUZZLE, session_ids=[session_id])
    row = await session_store.owned_session(session_id=session_id, owner_user_id=owner)
    if row is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    return row


async def sessions_of(
    *, user_id: str, first: int | None, after: str | None
) -> Page[PuzzleSessionRow]:
    """The user's sessions, most recently changed first (finished turns applied first)."""
    size = page_size(first)
    await turns.settle_owner(owner_user_id=user_id)
    position = None
    if after is not None:
        updated_at, session_id = decode_cursor(after, size=2)
        position = (_moment(updated_at), str(session_id))
    return await session_store.sessions_page(owner_user_id=user_id, size=size, after=position)


async def sessions_by_id(session_ids: Sequence[str]) -> dict[str, PuzzleSessionRow]:
    return await session_store.sessions_by_id(session_ids)


def _moment(value: Any) -> datetime:
    try:
        return datetime.fromisoformat(str(value))
    except ValueError as error:
        raise BadUserInput("Invalid cursor.") from error
