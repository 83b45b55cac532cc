"""The Match3D creation adapter: how agent turns read and write Match3D sessions, and the
writes every Match3D writer shares (the draft with its mirrored work card)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from resolvers.creation.adapters import CreationAdapter
from resolvers.creation.model import ConversationMessage, ReplyOutcome, SessionState
from resolvers.gallery.play_types import PlayType
from resolvers.match3d import drafts
from resolvers.match3d.model import Match3dStage
from resolvers.match3d.rows import Match3dSessionRow
from resolvers.match3d.store import sessions as session_store
from resolvers.match3d.store import works as work_store
from subscriptions.streams import StreamEntry


async def mirror_draft(*, session_id: str, draft: drafts.Match3dDraft, now: datetime) -> None:
    """A draft work's card follows its session's draft (a published work keeps what was
    published until `match3dWorkUpdate`). `generated_item_assets_json` is not touched."""
    await work_store.mirror_draft(session_id=session_id, columns=drafts.projection(draft), now=now)


async def save_draft(
    *, session: SessionState, draft: drafts.Match3dDraft, now: datetime, **extra: Any
) -> Match3dSessionRow:
    """Write a session's draft and config (unknown draft keys kept) and mirror the work
    card; `extra` columns (seed_text, stage, …) are set too. Returns the session row."""
    row = await session_store.set_draft(
        session_id=session.session_id,
        draft_json=drafts.stored_json(draft, session.draft),
        config_json=drafts.config_json(draft),
        now=now,
        **extra,
    )
    await mirror_draft(session_id=session.session_id, draft=draft, now=now)
    return row


class Match3dAdapter(CreationAdapter):
    play_type = PlayType.MATCH3D
    draft_model = drafts.Match3dDraft
    subject = (
        "a Match3D (grab-three) game: a title, a summary, a theme, tags, a set of 4 to 12 "
        "items each with a name, a count of 3, 6 or 9 copies and a relative size, how many "
        "layers the pile has, a difficulty and a time limit (item images come later)"
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
            # An unusable reply: the previous draft stays; the warning is the framework's.
            await session_store.set_reply(
                session_id=session.session_id, reply=outcome.assistant_text, now=now
            )
            return []
        assert isinstance(draft, drafts.Match3dDraft)
        await save_draft(
            session=session,
            draft=draft,
            now=now,
            stage=outcome.stage,
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

    def parse_draft(self, data: Any, session: SessionState) -> BaseModel:
        previous = drafts.stored_draft(session.draft)
        return drafts.Match3dDraft.model_validate(drafts.with_item_ids(data, previous))

    def stage_and_progress(self, session: SessionState, draft: BaseModel) -> tuple[str, int]:
        assert isinstance(draft, drafts.Match3dDraft)
        return drafts.stage_and_progress(
            draft, published=session.stage == Match3dStage.PUBLISHED.value
        )


ADAPTER = Match3dAdapter()
