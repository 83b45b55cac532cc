"""The creation framework's adapter for custom worlds (resolvers/creation/adapters.py).

The framework runs agent turns (a user message → an AI task whose reply streams to
subscribers → the reply applied); this adapter gives it the worlds' tables and rules:
- the session is `custom_world_agent_session` (locked with the world's lock order:
  session first, then profile: resolvers/worlds/locking.py); messages go to
  `custom_world_agent_message`; each turn's operation is mirrored, with the same
  `operation_id`, into `custom_world_agent_operation` (status, phase, progress, error);
- the built-in agent derives the draft from the seed and the creator's messages
  (resolvers/worlds/derivation.py); a model's JSON draft is read by `draft_from_json`;
- a finished reply is written through `save_world`: draft, cards, gate, stage, progress,
  the work, and, for a published world, both read models. A reply whose draft would leave
  a published world with blockers keeps the previous draft and records a warning.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from resolvers.assets.objects import AccessPolicy
from resolvers.creation.adapters import CreationAdapter
from resolvers.creation.model import (
    ConversationMessage,
    MessageKind,
    MessageRole,
    ReplyOutcome,
    SessionState,
)
from resolvers.creation.replies import clip
from resolvers.gallery.play_types import PlayType
from resolvers.ids import new_id
from resolvers.worlds import locking
from resolvers.worlds.derivation import derive_draft
from resolvers.worlds.drafts import CustomWorldDraft, stored_draft
from resolvers.worlds.errors import PublishBlocked
from resolvers.worlds.gate import Cover, evaluate, progress_percent, stage_of
from resolvers.worlds.json_drafts import DRAFT_SHAPE, draft_from_json
from resolvers.worlds.model import AgentStage
from resolvers.worlds.saving import save_world
from resolvers.worlds.store import messages as message_store
from resolvers.worlds.store.sessions import lock_session as lock_session_row
from subscriptions.streams import StreamEntry


def state_of(row: dict[str, Any]) -> SessionState:
    return SessionState(
        session_id=row["session_id"],
        owner_user_id=row["owner_user_id"],
        seed_text=row["seed_text"],
        stage=row["stage"],
        progress=row["progress_percent"],
        current_turn=row["current_turn"],
        draft=row["draft_profile_json"],
        row=row,
    )


async def insert_message(
    *,
    session_id: str,
    role: MessageRole,
    kind: MessageKind,
    text: str,
    operation_id: str | None,
    now: datetime,
) -> str:
    message_id = new_id()
    await message_store.insert_message(
        message_id=message_id,
        session_id=session_id,
        role=role,
        kind=kind,
        text=text,
        operation_id=operation_id,
        now=now,
    )
    return message_id


class CustomWorldAdapter(CreationAdapter):
    play_type = PlayType.CUSTOM_WORLD
    draft_model = CustomWorldDraft
    subject = (
        "a custom role-playing world: its eight anchors (premise, tone, setting, rules, "
        "factions, player role, conflict, stakes), characters (at least one playable), "
        "places and chapters"
    )
    draft_shape = DRAFT_SHAPE
    messages = message_store.MESSAGES

    # --- storage -----------------------------------------------------------------------

    async def lock_session(
        self, *, session_id: str, owner_user_id: str | None, now: datetime, new_turn: bool
    ) -> SessionState | None:
        row = await lock_session_row(
            session_id=session_id, owner_user_id=owner_user_id, now=now, new_turn=new_turn
        )
        return state_of(row) if row is not None else None

    async def add_message(
        self,
        *,
        session: SessionState,
        role: MessageRole,
        kind: MessageKind,
        text: str,
        operation_id: str,
        now: datetime,
    ) -> str:
        return await insert_message(
            session_id=session.session_id,
            role=role,
            kind=kind,
            text=text,
            operation_id=operation_id,
            now=now,
        )

    async def save_reply(
        self, *, session: SessionState, outcome: ReplyOutcome, now: datetime
    ) -> list[StreamEntry]:
        world = await locking.world_of_locked_session(session.row, now=now)
        if world is None:
            return []  # deleted meanwhile: nothing to update
        reply = {"last_assistant_reply": outcome.assistant_text}
        checkpoint = {
            "turn": session.current_turn,
            "at": now.isoformat(),
            "draftChanged": outcome.draft is not None,
        }
        draft = world.draft
        if isinstance(outcome.draft, CustomWorldDraft):
            draft = outcome.draft
        try:
            _, entries = await save_world(
                world, draft, now=now, session_changes=reply, checkpoint=checkpoint
            )
        except PublishBlocked as refused:
            await insert_message(
                session_id=session.session_id,
                role=MessageRole.SYSTEM,
                kind=MessageKind.WARNING,
                text=clip(f"{refused.message} The previous draft was kept."),
                operation_id=None,
                now=now,
            )
            _, entries = await save_world(
                world,
                world.draft,
                now=now,
                session_changes=reply,
                checkpoint={**checkpoint, "draftChanged": False},
            )
        return entries

    async def record_operation(self, operation: dict[str, Any]) -> None:
        await message_store.upsert_operation(operation)

    # --- behaviour ---------------------------------------------------------------------

    def derive_draft(
        self, session: SessionState, conversation: Sequence[ConversationMessage]
    ) -> BaseModel:
        said = [
            message.text
            for message in conversation
            if message.role is MessageRole.USER and message.kind is MessageKind.CHAT
        ]
        return derive_draft(
            seed_text=session.seed_text,
            user_messages=said,
            previous=stored_draft(session.draft),
            new_id=new_id,
        )

    def parse_draft(self, data: Any, session: SessionState) -> BaseModel:
        return draft_from_json(data, previous=stored_draft(session.draft), new_id=new_id)

    def stage_and_progress(self, session: SessionState, draft: BaseModel) -> tuple[str, int]:
        """An estimate from the stored cover state (the write recomputes both exactly)."""
        assert isinstance(draft, CustomWorldDraft)
        coverage = session.row.get("asset_coverage_json") or {}
        cover = (
            Cover(
                asset_object_id="", content_type="image/*", access_policy=AccessPolicy.PUBLIC_READ
            )
            if coverage.get("cover")
            else None
        )
        blockers = evaluate(draft, cover)
        published = session.stage == AgentStage.PUBLISHED.value
        return stage_of(draft, blockers, published=published).value, progress_percent(draft, cover)


ADAPTER = CustomWorldAdapter()
