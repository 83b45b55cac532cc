"""The visual-novel creation adapter: how agent turns read and write visual-novel sessions,
and what every visual-novel writer shares (save the draft, mirror it into the draft work's
card)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from resolvers.creation.adapters import CreationAdapter
from resolvers.creation.model import ConversationMessage, ReplyOutcome, SessionState
from resolvers.gallery.play_types import PlayType
from resolvers.visual_novel import drafts, gate
from resolvers.visual_novel.model import VisualNovelStage
from resolvers.visual_novel.rows import VisualNovelSessionRow
from resolvers.visual_novel.store import sessions as session_store
from resolvers.visual_novel.store import works as work_store
from subscriptions.streams import StreamEntry


async def mirror_draft(
    *, session_id: str, draft: drafts.VisualNovelResultDraft, now: datetime
) -> str | None:
    """A draft work's card follows its session's draft (a published work keeps what was
    published until `visualNovelWorkUpdate`); returns the work's id."""
    return await work_store.mirror_draft(
        session_id=session_id, columns=drafts.projection(draft), now=now
    )


async def save_draft(
    *, session: SessionState, draft: drafts.VisualNovelResultDraft, now: datetime, **extra: Any
) -> VisualNovelSessionRow:
    """Write a session's draft (unknown keys kept) and the agent's next proposal
    (`pending_action_json`), mirror the work card; `extra` columns are set too."""
    work_id = await mirror_draft(session_id=session.session_id, draft=draft, now=now)
    missing: list[str] = []
    if work_id is not None:
        images = (await gate.bound_images([work_id]))[work_id]
        missing = gate.missing_scene_images(draft, images)
    return await session_store.save_draft(
        session_id=session.session_id,
        draft_json=drafts.stored_json(draft, session.draft),
        pending_action=drafts.pending_action(draft, missing),
        now=now,
        **extra,
    )


class VisualNovelAdapter(CreationAdapter):
    play_type = PlayType.VISUAL_NOVEL
    draft_model = drafts.VisualNovelResultDraft
    subject = (
        "a visual novel: a title, a summary, tags, characters, phases, scenes with text, "
        "the characters shown and choices (conditions and effects on flags and metrics, "
        "each leading to a scene or an ending), and endings that win or lose (scene images "
        "come later)"
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
        assert isinstance(draft, drafts.VisualNovelResultDraft)
        await save_draft(
            session=session,
            draft=draft,
            now=now,
            status=outcome.stage,
            progress_percent=outcome.progress,
            last_assistant_reply=outcome.assistant_text,
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

    def stage_and_progress(self, session: SessionState, draft: BaseModel) -> tuple[str, int]:
        assert isinstance(draft, drafts.VisualNovelResultDraft)
        return drafts.stage_and_progress(
            draft, published=session.stage == VisualNovelStage.PUBLISHED.value
        )


ADAPTER = VisualNovelAdapter()
