"""Big fish's creation adapter: how agent turns read and write its sessions.

The session is the work: an agent reply writes the draft, the anchor pack, the stage and
the progress on the session row (no separate work card to keep in step).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from resolvers.big_fish import drafts
from resolvers.big_fish.model import BigFishCreationStage
from resolvers.big_fish.store import sessions as store
from resolvers.creation.adapters import CreationAdapter
from resolvers.creation.model import ConversationMessage, ReplyOutcome, SessionState
from resolvers.gallery.play_types import PlayType
from subscriptions.streams import StreamEntry


async def save_draft(
    *, session_id: str, draft: drafts.BigFishDraft, previous: Any, now: datetime
) -> None:
    """Store a draft and its anchor pack in the session."""
    await store.write_draft(
        session_id=session_id,
        draft=drafts.stored_json(draft, previous),
        anchor_pack=drafts.anchor_pack(draft),
        now=now,
    )


class BigFishAdapter(CreationAdapter):
    play_type = PlayType.BIG_FISH
    draft_model = drafts.BigFishDraft
    subject = (
        "a big-fish-eats-small-fish game: the player's fish swims in a sea of fish of "
        "ascending levels, eats those of its level or below, grows through the levels by "
        "the mass it eats, loses when it touches a bigger fish and wins at the win size"
    )
    draft_shape = drafts.DRAFT_SHAPE
    messages = store.MESSAGES

    async def lock_session(
        self, *, session_id: str, owner_user_id: str | None, now: datetime, new_turn: bool
    ) -> SessionState | None:
        return await store.lock_session(
            session_id=session_id, owner_user_id=owner_user_id, now=now, new_turn=new_turn
        )

    async def save_reply(
        self, *, session: SessionState, outcome: ReplyOutcome, now: datetime
    ) -> list[StreamEntry]:
        draft = outcome.draft
        if draft is not None:
            assert isinstance(draft, drafts.BigFishDraft)
            await store.set_stage(
                session_id=session.session_id, stage=outcome.stage, progress=outcome.progress
            )
            await save_draft(
                session_id=session.session_id, draft=draft, previous=session.draft, now=now
            )
        await store.set_reply(session_id=session.session_id, reply=outcome.assistant_text, now=now)
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
