"""The creation session's statements (`big_fish_creation_session`; the session is the
work) and its message log. Writes run inside the caller's transaction; `lock_session` is
the first statement of each, so a session's writers are ordered on PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import orjson
from piccolo.columns import Column
from piccolo.custom_types import Combinable
from piccolo.query.functions import Coalesce

from db.tables.big_fish import BigFishAgentMessage, BigFishCreationSession
from resolvers.big_fish.rows import BigFishWorkRow
from resolvers.creation.adapters import MessageLog
from resolvers.creation.model import SessionState
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.pagination import Page, keyset_page
from resolvers.play_types.tables import DraftColumn

Session = BigFishCreationSession
SESSION_JSON = ("anchor_pack_json", "draft_json", "asset_coverage_json")
# Where the contract finds a creation session's draft, and the agent's message log.
DRAFT = DraftColumn(BigFishCreationSession, "draft_json")
MESSAGES = MessageLog(BigFishAgentMessage)


def decoded(row: Any, keys: Sequence[str] = SESSION_JSON) -> dict[str, Any]:
    """A row with its JSON columns decoded (RETURNING and raw rows give them as text)."""
    result = dict(row)
    for key in keys:
        value = result.get(key)
        if isinstance(value, str | bytes):
            result[key] = orjson.loads(value)
    return result


def as_json(value: Any) -> str:
    return orjson.dumps(value).decode()


def session_state(row: Any) -> SessionState:
    session = decoded(row)
    return SessionState(
        session_id=session["session_id"],
        owner_user_id=session["owner_user_id"],
        seed_text=session["seed_text"],
        stage=session["stage"],
        progress=session["progress_percent"],
        current_turn=session["current_turn"],
        draft=session["draft_json"],
        row=session,
    )


async def lock_session(
    *, session_id: str, owner_user_id: str | None, now: datetime, new_turn: bool = False
) -> SessionState | None:
    """Lock a session row (conditional UPDATE … RETURNING); None if there is no such
    session (of that owner)."""
    changes: dict[Column | str, Any] = {Session.updated_at: now}
    if new_turn:
        changes[Session.current_turn] = Session.current_turn + 1
    mine: Combinable = Session.session_id == session_id
    if owner_user_id is not None:
        mine &= Session.owner_user_id == owner_user_id
    rows = await Session.update(changes).where(mine).returning(*Session.all_columns())
    return session_state(rows[0]) if rows else None


async def insert_session(
    *, session_id: str, owner_user_id: str, seed_text: str, stage: str, now: datetime
) -> BigFishWorkRow:
    """A new, empty session (a draft work); the row as stored."""
    rows = await Session.insert(
        Session(
            session_id=session_id,
            owner_user_id=owner_user_id,
            seed_text=seed_text,
            current_turn=0,
            progress_percent=0,
            stage=stage,
            anchor_pack_json=as_json({}),
            draft_json=None,
            asset_coverage_json=as_json({}),
            last_assistant_reply=None,
            publish_ready=False,
            play_count=0,
            created_at=now,
            updated_at=now,
            publication_status=WorkPublicationStatus.DRAFT.value,
            public_work_code=None,
            cover_asset_id=None,
            cover_image_src=None,
            published_at=None,
        )
    ).returning(*Session.all_columns())
    return BigFishWorkRow.from_row(rows[0])


async def set_seed(*, session_id: str, seed_text: str) -> None:
    await Session.update({Session.seed_text: seed_text}).where(Session.session_id == session_id)


async def write_draft(*, session_id: str, draft: Any, anchor_pack: Any, now: datetime) -> None:
    """Store a draft (its stored JSON) and its anchor pack in the session."""
    await Session.update(
        {
            Session.draft_json: as_json(draft),
            Session.anchor_pack_json: as_json(anchor_pack),
            Session.updated_at: now,
        }
    ).where(Session.session_id == session_id)


async def set_stage(*, session_id: str, stage: str, progress: int) -> None:
    await Session.update({Session.stage: stage, Session.progress_percent: progress}).where(
        Session.session_id == session_id
    )


async def set_reply(*, session_id: str, reply: str, now: datetime) -> None:
    await Session.update({Session.last_assistant_reply: reply, Session.updated_at: now}).where(
        Session.session_id == session_id
    )


async def set_publish_ready(*, session_id: str, ready: bool) -> None:
    await Session.update({Session.publish_ready: ready}).where(Session.session_id == session_id)


async def set_asset_coverage(*, session_id: str, coverage: Any) -> None:
    await Session.update({Session.asset_coverage_json: as_json(coverage)}).where(
        Session.session_id == session_id
    )


async def add_play(session_id: str) -> None:
    """One more PLAY run of the work."""
    await Session.update({Session.play_count: Session.play_count + 1}).where(
        Session.session_id == session_id
    )


async def session_row(session_id: str) -> BigFishWorkRow:
    """A session known to exist (locked earlier in the transaction), as stored."""
    row = (
        await Session.select()
        .where(Session.session_id == session_id)
        .output(load_json=True)
        .first()
    )
    assert row is not None
    return BigFishWorkRow.from_row(row)


async def sessions_by_id(session_ids: Sequence[str]) -> dict[str, BigFishWorkRow]:
    if not session_ids:
        return {}
    rows = (
        await Session.select()
        .where(Session.session_id.is_in(list(session_ids)))
        .output(load_json=True)
    )
    return {row["session_id"]: BigFishWorkRow.from_row(row) for row in rows}


async def sessions_page(
    *,
    user_id: str,
    status: WorkPublicationStatus | None,
    first: int | None,
    after: str | None,
) -> Page[BigFishWorkRow]:
    """The user's sessions, most recently changed first (keyset)."""
    where: Any = Session.owner_user_id == user_id
    if status is not None:
        where &= Session.publication_status == status.value
    page = await keyset_page(
        Session,
        Session.updated_at,
        Session.session_id,
        first=first,
        after=after,
        where=where,
        load_json=True,
    )
    return page.map(BigFishWorkRow.from_row)


async def work_for_binding(work_id: str) -> dict[str, Any] | None:
    """The two columns that decide who may bind or view a work's images."""
    return (
        await Session.select(Session.owner_user_id, Session.publication_status)
        .where(Session.session_id == work_id)
        .first()
    )


async def claim_status(*, work_id: str, status: WorkPublicationStatus, now: datetime) -> bool:
    """Touch the work if its publication status is `status`: whether it was."""
    claimed = (
        await Session.update({Session.updated_at: now})
        .where((Session.session_id == work_id) & (Session.publication_status == status.value))
        .returning(Session.session_id)
    )
    return bool(claimed)


async def set_published(
    *, work_id: str, cover_asset_id: str, cover_image_src: str, stage: str, now: datetime
) -> BigFishWorkRow:
    """The work is published with its cover; the row after."""
    rows = (
        await Session.update(
            {
                Session.cover_asset_id: cover_asset_id,
                Session.cover_image_src: cover_image_src,
                Session.publication_status: WorkPublicationStatus.PUBLISHED.value,
                # The first publication's time stays through later updates.
                Session.published_at: Coalesce(Session.published_at, now),
                Session.stage: stage,
                Session.progress_percent: 100,
                Session.updated_at: now,
            }
        )
        .where(Session.session_id == work_id)
        .returning(*Session.all_columns())
    )
    return BigFishWorkRow.from_row(rows[0])


async def set_unpublished(
    *, work_id: str, stage: str, progress: int, now: datetime
) -> BigFishWorkRow | None:
    """A published work becomes a draft again; the row after, or None if not published."""
    rows = (
        await Session.update(
            {
                Session.publication_status: WorkPublicationStatus.DRAFT.value,
                Session.stage: stage,
                Session.progress_percent: progress,
                Session.updated_at: now,
            }
        )
        .where(
            (Session.session_id == work_id)
            & (Session.publication_status == WorkPublicationStatus.PUBLISHED.value)
        )
        .returning(*Session.all_columns())
    )
    return BigFishWorkRow.from_row(rows[0]) if rows else None


async def set_public_code(*, session_id: str, code: str) -> None:
    """The work's public code, unless it has one already."""
    await Session.update({Session.public_work_code: code}).where(
        (Session.session_id == session_id) & Session.public_work_code.is_null()
    )
