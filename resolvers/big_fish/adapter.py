"""Big fish's creation adapter: how agent turns read and write its sessions.

The session is the work: an agent reply writes the draft, the anchor pack, the stage and
the progress on the session row (no separate work card to keep in step).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import orjson
from piccolo.columns import Column
from piccolo.custom_types import Combinable
from pydantic import BaseModel

from db.tables.big_fish import BigFishAgentMessage, BigFishCreationSession
from resolvers.big_fish import drafts
from resolvers.big_fish.model import BigFishCreationStage
from resolvers.creation.adapters import CreationAdapter, MessageLog
from resolvers.creation.model import ConversationMessage, ReplyOutcome, SessionState
from resolvers.gallery.play_types import PlayType
from subscriptions.streams import StreamEntry

Session = BigFishCreationSession
SESSION_JSON = ("anchor_pack_json", "draft_json", "asset_coverage_json")


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


async def save_draft(
    *, session_id: str, draft: drafts.BigFishDraft, previous: Any, now: datetime
) -> None:
    """Store a draft and its anchor pack in the session."""
    await Session.update(
        {
            Session.draft_json: as_json(drafts.stored_json(draft, previous)),
            Session.anchor_pack_json: as_json(drafts.anchor_pack(draft)),
            Session.updated_at: now,
        }
    ).where(Session.session_id == session_id)


class BigFishAdapter(CreationAdapter):
    play_type = PlayType.BIG_FISH
    draft_model = drafts.BigFishDraft
    subject = (
        "a big-fish-eats-small-fish game: the player's fish swims in a sea of fish of "
        "ascending levels, eats those of its level or below, grows through the levels by "
        "the mass it eats, loses when it touches a bigger fish and wins at the win size"
    )
    draft_shape = drafts.DRAFT_SHAPE
    messages = MessageLog(BigFishAgentMessage)

    async def lock_session(
        self, *, session_id: str, owner_user_id: str | None, now: datetime, new_turn: bool
    ) -> SessionState | None:
        return await lock_session(
            session_id=session_id, owner_user_id=owner_user_id, now=now, new_turn=new_turn
        )

    async def save_reply(
        self, *, session: SessionState, outcome: ReplyOutcome, now: datetime
    ) -> list[StreamEntry]:
        draft = outcome.draft
        if draft is not None:
            assert isinstance(draft, drafts.BigFishDraft)
            await Session.update(
                {Session.stage: outcome.stage, Session.progress_percent: outcome.progress}
            ).where(Session.session_id == session.session_id)
            await save_draft(
                session_id=session.session_id, draft=draft, previous=session.draft, now=now
            )
        await Session.update(
            {Session.last_assistant_reply: outcome.assistant_text, Session.updated_at: now}
        ).where(Session.session_id == session.session_id)
        return []

    def derive_draft(
        self, session: SessionState, conversation: Sequence[ConversationMessage]
    ) -> BaseModel:
        return drafts.derive_draft(
            seed_text=session.seed_text,
            previous=drafts.stored_draft(session.draft),
            conversation=conversation,
        )

    def stage_and_progress(self, session: SessionState, draft: BaseModel) -> tuple[str, int]:
        assert isinstance(draft, drafts.BigFishDraft)
        return drafts.stage_and_progress(
            draft, published=session.stage == BigFishCreationStage.PUBLISHED.value
        )


ADAPTER = BigFishAdapter()
