"""The puzzle's creation adapter: how agent turns read and write puzzle sessions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from db.tables.puzzle import PuzzleAgentMessage, PuzzleAgentSession, PuzzleWorkProfile
from resolvers.creation.adapters import CreationAdapter, MessageLog
from resolvers.creation.model import ConversationMessage, ReplyOutcome, SessionState
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.gallery.play_types import PlayType
from resolvers.play_types.rows import as_json as as_json
from resolvers.play_types.rows import decoded as decoded
from resolvers.play_types.rows import lock_session_row
from resolvers.puzzle import drafts
from resolvers.puzzle.model import PuzzleStage
from subscriptions.streams import StreamEntry

SESSION_JSON = ("anchor_pack_json", "draft_json")
PROFILE_JSON = ("theme_tags_json", "levels_json", "anchor_pack_json")


async def lock_session(
    *, session_id: str, owner_user_id: str | None, now: datetime, new_turn: bool = False
) -> SessionState | None:
    """Lock a puzzle session row (conditional UPDATE … RETURNING); None if there is no
    such session (of that owner)."""
    return await lock_session_row(
        PuzzleAgentSession,
        json_keys=SESSION_JSON,
        session_id=session_id,
        owner_user_id=owner_user_id,
        now=now,
        new_turn=new_turn,
    )


async def mirror_draft(
    *, session_id: str, draft: drafts.PuzzleDraft, seed_text: str, now: datetime
) -> None:
    """A draft work's card follows its session's draft (a published work keeps what was
    published until `puzzleWorkUpdate`)."""
    card = drafts.projection(draft, seed_text)
    await PuzzleWorkProfile.update(
        {
            PuzzleWorkProfile.work_title: card.work_title,
            PuzzleWorkProfile.work_description: card.work_description,
            PuzzleWorkProfile.level_name: card.level_name,
            PuzzleWorkProfile.summary: card.summary,
            PuzzleWorkProfile.theme_tags_json: as_json(card.theme_tags_json),
            PuzzleWorkProfile.levels_json: as_json(card.levels_json),
            PuzzleWorkProfile.anchor_pack_json: as_json(card.anchor_pack_json),
            PuzzleWorkProfile.publish_ready: False,
            PuzzleWorkProfile.updated_at: now,
        }
    ).where(
        (PuzzleWorkProfile.source_session_id == session_id)
        & (PuzzleWorkProfile.publication_status == WorkPublicationStatus.DRAFT.value)
    )


class PuzzleAdapter(CreationAdapter):
    play_type = PlayType.PUZZLE
    draft_model = drafts.PuzzleDraft
    subject = (
        "a jigsaw puzzle game: a title, a description, a theme, tags, and one or more "
        "levels, each with a name and a grid size from 3x3 to 8x8 (images come later)"
    )
    draft_shape = drafts.DRAFT_SHAPE
    messages = MessageLog(PuzzleAgentMessage)

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
            await PuzzleAgentSession.update(
                {
                    PuzzleAgentSession.last_assistant_reply: outcome.assistant_text,
                    PuzzleAgentSession.updated_at: now,
                }
            ).where(PuzzleAgentSession.session_id == session.session_id)
            return []
        assert isinstance(draft, drafts.PuzzleDraft)
        await PuzzleAgentSession.update(
            {
                PuzzleAgentSession.stage: outcome.stage,
                PuzzleAgentSession.progress_percent: outcome.progress,
                PuzzleAgentSession.draft_json: as_json(drafts.stored_json(draft, session.draft)),
                PuzzleAgentSession.anchor_pack_json: as_json(
                    drafts.anchor_pack(draft, session.seed_text)
                ),
                PuzzleAgentSession.last_assistant_reply: outcome.assistant_text,
                PuzzleAgentSession.updated_at: now,
            }
        ).where(PuzzleAgentSession.session_id == session.session_id)
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
