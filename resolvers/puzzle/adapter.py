"""The puzzle's creation adapter: how agent turns read and write puzzle sessions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from resolvers.creation.adapters import CreationAdapter
from resolvers.creation.model import ConversationMessage, ReplyOutcome, SessionState
from resolvers.gallery.play_types import PlayType
from resolvers.puzzle import drafts
from resolvers.puzzle.model import PuzzleStage
from resolvers.puzzle.store import sessions as session_store
from resolvers.puzzle.store import works as work_store
from subscriptions.streams import StreamEntry


async def mirror_draft(
    *, session_id: str, draft: drafts.PuzzleDraft, seed_text: str, now: datetime
) -> None:
    """A draft work's card follows its session's draft (a published work keeps what was
    published until `puzzleWorkUpdate`)."""
    await work_store.mirror_draft(
        session_id=session_id, card=drafts.projection(draft, seed_text), now=now
    )


class PuzzleAdapter(CreationAdapter):
    play_type = PlayType.PUZZLE
    draft_model = drafts.PuzzleDraft
    subject = (
        "a jigsaw puzzle game: a title, a description, a theme, tags, and one or more "
        "levels, each with a name and a grid size from 3x3 to 8x8 (images come later)"
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
            await session_store.set_reply(
                session_id=session.session_id, reply=outcome.assistant_text, now=now
            )
            return []
        assert isinstance(draft, drafts.PuzzleDraft)
        await session_store.set_reply_draft(
            session_id=session.session_id,
            stage=outcome.stage,
            progress=outcome.progress,
            draft_json=drafts.stored_json(draft, session.draft),
            anchor_pack=drafts.anchor_pack(draft, session.seed_text),
            reply=outcome.assistant_text,
            now=now,
        )
        await mirror_draft(
            session_id=session.session_id, draft=draft, seed_text=session.seed_text, now=now
        )
        return []

    def derive_draft(
        self, session: SessionState, conversation: Sequence[ConversationMessage]
    ) -> BaseModel:
        return drafts.derive_draft(
            seed_text=session.seed_text,
            previous=drafts.stored_draft(session.draft),
            conversation=conversation,
        )

    def parse_draft(self, data: Any, session: SessionState) -> BaseModel:
        previous = drafts.stored_draft(session.draft)
        return drafts.PuzzleDraft.model_validate(drafts.with_level_ids(data, previous))

    def stage_and_progress(self, session: SessionState, draft: BaseModel) -> tuple[str, int]:
        assert isinstance(draft, drafts.PuzzleDraft)
        return drafts.stage_and_progress(
            draft, published=session.stage == PuzzleStage.PUBLISHED.value
        )


ADAPTER = PuzzleAdapter()
