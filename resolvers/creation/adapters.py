"""`CreationAdapter`: what a play type gives the creation framework, and the registry.

The framework (resolvers/creation/turns.py) runs agent turns for every play type; an
adapter supplies the play type's storage (its session and message tables) and behaviour
(its typed draft, the built-in agent's derivation, stage and progress). docs/creation.md
walks through writing one.

Storage methods run inside the framework's write transaction; behaviour methods are pure.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from piccolo.table import Table
from pydantic import BaseModel, ValidationError

from resolvers.creation import replies
from resolvers.creation.errors import CreationError, CreationErrorCode
from resolvers.creation.model import (
    ConversationMessage,
    MessageKind,
    MessageRole,
    ReplyFormat,
    ReplyOutcome,
    SessionState,
)
from resolvers.creation.store import messages as message_store
from resolvers.gallery.play_types import PlayType
from resolvers.ids import new_id
from subscriptions.streams import StreamEntry


@dataclass(frozen=True, slots=True)
class MessageLog:
    """A play type's message log: a catalog table with message_id (ULID), session_id,
    role, kind, text, created_at (more columns are the adapter's business). The play
    type's store builds it; the framework's message statements run on it."""

    table: type[Table]


class CreationAdapter(ABC):
    """One play type's side of agent turns: the `creation` of its play-type plugin
    (resolvers/play_types/contract.py)."""

    play_type: ClassVar[PlayType]
    # The typed draft (a pydantic model): every draft written is validated by it.
    draft_model: ClassVar[type[BaseModel]]
    # What the agent helps to create, for its prompt ("a jigsaw puzzle game …").
    subject: ClassVar[str]
    # The draft's JSON shape, shown to a model asked for JSON.
    draft_shape: ClassVar[str]
    # The play type's message log (its store's `MessageLog`).
    messages: ClassVar[MessageLog]

    # --- storage: called inside the framework's write transaction ----------------------

    @abstractmethod
    async def lock_session(
        self, *, session_id: str, owner_user_id: str | None, now: datetime, new_turn: bool
    ) -> SessionState | None:
        """Lock the session row with one conditional `UPDATE … RETURNING` (set
        `updated_at`; with `new_turn`, also `current_turn + 1`), restricted to
        `owner_user_id` when given. None when there is no such session (of that owner).
        The lock orders every writer of the session on PostgreSQL."""

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
        """Append a message to the message log; returns its id. Override to fill more
        columns (custom worlds: `related_operation_id`)."""
        message_id = new_id()
        await message_store.insert_message(
            table=self.messages.table,
            message_id=message_id,
            session_id=session.session_id,
            role=role.value,
            kind=kind.value,
            text=text,
            now=now,
        )
        return message_id

    async def conversation(self, session_id: str) -> list[ConversationMessage]:
        """The session's messages, oldest first (ids are time-sorted)."""
        rows = await message_store.messages_of(table=self.messages.table, session_id=session_id)
        return [
            ConversationMessage(
                message_id=row["message_id"],
                role=MessageRole(row["role"]),
                kind=MessageKind(row["kind"]),
                text=row["text"],
            )
            for row in rows
            # Messages of other roles or kinds (a play type's own) are not conversation.
            if row["role"] in ROLES and row["kind"] in KINDS
        ]

    @abstractmethod
    async def save_reply(
        self, *, session: SessionState, outcome: ReplyOutcome, now: datetime
    ) -> list[StreamEntry]:
        """Store a finished reply: stage, progress, the draft when `outcome.draft` is not
        None (already validated), the last assistant reply, and any projection (the work
        card). Returns stream entries to publish after commit."""

    async def record_operation(self, operation: dict[str, Any]) -> None:  # noqa: B027
        """Mirror a turn's `creation_agent_operation` row into the play type's own
        operation table, if its catalog has one (same `operation_id`). Default: nothing."""

    def refuse_turn(self, session: SessionState) -> CreationError | None:
        """Why this session takes no agent turn now (e.g. it is the published work of a
        type that forbids edits); None to accept. Default: accept."""
        return None

    # --- behaviour: pure ----------------------------------------------------------------

    @abstractmethod
    def derive_draft(
        self, session: SessionState, conversation: Sequence[ConversationMessage]
    ) -> BaseModel:
        """The built-in agent's draft (plain-text replies): deterministic in the seed and the
        user's messages, so different seeds give different drafts."""

    @abstractmethod
    def stage_and_progress(self, session: SessionState, draft: BaseModel) -> tuple[str, int]:
        """The stage and progress (0..100) a session reaches with `draft`."""

    def parse_draft(self, data: Any, session: SessionState) -> BaseModel:
        """A draft from a model's JSON (raises `pydantic.ValidationError`). Override to
        carry over what the model does not see (ids of existing parts)."""
        return self.draft_model.model_validate(data)

    def outcome(
        self,
        session: SessionState,
        conversation: Sequence[ConversationMessage],
        reply: str,
        reply_format: ReplyFormat,
    ) -> ReplyOutcome:
        """What a finished reply changes. JSON replies that are not a JSON object with a
        valid `draft` keep the previous draft, stage and progress, with a warning."""
        text = reply.strip()
        if reply_format is ReplyFormat.TEXT:
            draft = self.derive_draft(session, conversation)
            stage, progress = self.stage_and_progress(session, draft)
            return ReplyOutcome(
                assistant_text=replies.clip(text) or replies.EMPTY_REPLY,
                draft=draft,
                stage=stage,
                progress=progress,
            )
        try:
            said, data = replies.parse_json_reply(text)
            draft = self.parse_draft(data, session)
        except replies.ReplyUnusable as error:
            return self._kept(session, text, str(error))
        except ValidationError as error:
            return self._kept(session, text, replies.describe_validation(error))
        stage, progress = self.stage_and_progress(session, draft)
        return ReplyOutcome(
            assistant_text=replies.clip(said) or replies.EMPTY_REPLY,
            draft=draft,
            stage=stage,
            progress=progress,
        )

    def _kept(self, session: SessionState, text: str, reason: str) -> ReplyOutcome:
        return ReplyOutcome(
            assistant_text=replies.clip(text) or replies.EMPTY_REPLY,
            draft=None,
            stage=session.stage,
            progress=session.progress,
            warning=replies.clip(f"{reason} The previous draft was kept."),
        )

    def prompt(
        self,
        session: SessionState,
        conversation: Sequence[ConversationMessage],
        reply_format: ReplyFormat,
    ) -> str:
        """The generator's prompt for the next reply (within the AI-task prompt limit)."""
        return replies.build_prompt(
            subject=self.subject,
            draft_shape=self.draft_shape,
            seed_text=session.seed_text,
            draft=session.draft,
            conversation=conversation,
            reply_format=reply_format,
        )


ROLES = frozenset(role.value for role in MessageRole)
KINDS = frozenset(kind.value for kind in MessageKind)


def adapter_for(play_type: PlayType | str) -> CreationAdapter:
    """The creation adapter of a registered play type (PLAY_TYPE_UNSUPPORTED otherwise)."""
    # Imported here: the registry imports every play type, and they import this module.
    from resolvers.play_types.registry import plugin_for

    plugin = plugin_for(play_type)
    if plugin is None:
        raise CreationError(
            CreationErrorCode.PLAY_TYPE_UNSUPPORTED,
            f"No creation agent for play type {play_type!r} yet.",
            field="playType",
        )
    return plugin.creation
