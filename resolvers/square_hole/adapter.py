"""The square hole's creation adapter: how agent turns read and write its sessions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from db.tables.square_hole import (
    SquareHoleAgentMessage,
    SquareHoleAgentSession,
    SquareHoleWorkProfile,
)
from resolvers.creation.adapters import CreationAdapter, MessageLog
from resolvers.creation.model import ConversationMessage, ReplyOutcome, SessionState
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.gallery.play_types import PlayType
from resolvers.play_types.rows import decoded as decoded
from resolvers.play_types.rows import lock_session_row
from resolvers.square_hole import drafts
from resolvers.square_hole.model import SquareHoleStage
from subscriptions.streams import StreamEntry

SESSION_JSON = ("config_json", "draft_json")
PROFILE_JSON = ("tags_json", "config_json")


async def lock_session(
    *, session_id: str, owner_user_id: str | None, now: datetime, new_turn: bool = False
) -> SessionState | None:
    """Lock a session row (conditional UPDATE … RETURNING); None if there is no such
    session (of that owner)."""
    return await lock_session_row(
        SquareHoleAgentSession,
        json_keys=SESSION_JSON,
        session_id=session_id,
        owner_user_id=owner_user_id,
        now=now,
        new_turn=new_turn,
    )


async def save_draft(
    *, session_id: str, draft: drafts.SquareHoleDraft, previous: Any, now: datetime
) -> list[Any]:
    """Store a draft in the session (`draft_json`, and its config in `config_json`)."""
    rows: list[Any] = (
        await SquareHoleAgentSession.update(
            {
                SquareHoleAgentSession.draft_json: drafts.stored_json(draft, previous),
                SquareHoleAgentSession.config_json: draft.config.stored(),
                SquareHoleAgentSession.updated_at: now,
            }
        )
        .where(SquareHoleAgentSession.session_id == session_id)
        .returning(*SquareHoleAgentSession.all_columns())
    )
    return rows


async def mirror_draft(*, session_id: str, draft: drafts.SquareHoleDraft, now: datetime) -> None:
    """A draft work's card follows its session's draft (a published work keeps what was
    published until `squareHoleWorkUpdate`)."""
    await SquareHoleWorkProfile.update(
        {SquareHoleWorkProfile.updated_at: now}, **drafts.projection(draft)
    ).where(
        (SquareHoleWorkProfile.source_session_id == session_id)
        & (SquareHoleWorkProfile.publication_status == WorkPublicationStatus.DRAFT.value)
    )


class SquareHoleAdapter(CreationAdapter):
    play_type = PlayType.SQUARE_HOLE
    draft_model = drafts.SquareHoleDraft
    subject = (
        "a square-hole game: shapes arrive one by one and the player drops each into a "
        "hole; a twist rule that contradicts intuition (such as 'every shape fits the "
        "square hole') decides, written as data: ordered rules {shape, hole, accepts, "
        "points} and a default, a target score, and how many shapes a run deals"
    )
    draft_shape = drafts.DRAFT_SHAPE
    messages = MessageLog(SquareHoleAgentMessage)

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
        if draft is None:
            await SquareHoleAgentSession.update(
                {
                    SquareHoleAgentSession.last_assistant_reply: outcome.assistant_text,
                    SquareHoleAgentSession.updated_at: now,
                }
            ).where(SquareHoleAgentSession.session_id == session.session_id)
            return []
        assert isinstance(draft, drafts.SquareHoleDraft)
        await SquareHoleAgentSession.update(
            {
                SquareHoleAgentSession.stage: outcome.stage,
                SquareHoleAgentSession.progress_percent: outcome.progress,
                SquareHoleAgentSession.last_assistant_reply: outcome.assistant_text,
            }
        ).where(SquareHoleAgentSession.session_id == session.session_id)
        await save_draft(
            session_id=session.session_id, draft=draft, previous=session.draft, now=now
        )
        await mirror_draft(session_id=session.session_id, draft=draft, now=now)
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
        assert isinstance(draft, drafts.SquareHoleDraft)
        return drafts.stage_and_progress(
            draft, published=session.stage == SquareHoleStage.PUBLISHED.value
        )


ADAPTER = SquareHoleAdapter()
