"""The square hole's creation adapter: how agent turns read and write its sessions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from resolvers.creation.adapters import CreationAdapter
from resolvers.creation.model import ConversationMessage, ReplyOutcome, SessionState
from resolvers.gallery.play_types import PlayType
from resolvers.square_hole import drafts
from resolvers.square_hole.model import SquareHoleStage
from resolvers.square_hole.store import sessions as session_store
from resolvers.square_hole.store import works as work_store
from subscriptions.streams import StreamEntry


async def save_draft(
    *, session_id: str, draft: drafts.SquareHoleDraft, previous: Any, now: datetime
) -> None:
    """Store a draft in the session (`draft_json`, and its config in `config_json`)."""
    await session_store.save_draft(
        session_id=session_id,
        draft_json=drafts.stored_json(draft, previous),
        config_json=draft.config.stored(),
        now=now,
    )


async def mirror_draft(*, session_id: str, draft: drafts.SquareHoleDraft, now: datetime) -> None:
    """A draft work's card follows its session's draft (a published work keeps what was
    published until `squareHoleWorkUpdate`)."""
    await work_store.mirror_draft(session_id=session_id, columns=drafts.projection(draft), now=now)


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
    messages = session_store.MESSAGES

    async def lock_session(
        self, *, session_id: str, owner_user_id: str | None, now: datetime, new_turn: bool
    ) -> SessionState | None:
        return await session_store.lock_session(
            session_id=session_id, owner_user_id=owner_user_id, now=now, new_turn=new_turn
        )

    async def save_reply(
        self, *, session: SessionState, outcome: ReplyOutcome, now: datetime
    ) -> list[StreamEntry]:
        draft = outcome.draft
        if draft is None:
            await session_store.set_last_reply(
                session_id=session.session_id, reply=outcome.assistant_text, now=now
            )
            return []
        assert isinstance(draft, drafts.SquareHoleDraft)
        await session_store.set_reply_progress(
            session_id=session.session_id,
            stage=outcome.stage,
            progress=outcome.progress,
            reply=outcome.assistant_text,
        )
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
