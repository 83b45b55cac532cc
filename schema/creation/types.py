"""The creation framework on the graph: messages, turns (operations) and the
`CreationSession` interface every play type's session implements.

A play type's session type subclasses `CreationSession` (`@strawberry.type`), adds its own
fields (its typed draft) and builds the shared part with `CreationSession.session_fields`.
Messages, turns and their AI tasks load through the per-operation `CreationLoaders`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON

from resolvers.creation.errors import CreationErrorCode
from resolvers.creation.model import MessageKind, MessageRole, OperationStatus, ReplyFormat
from resolvers.creation.rows import CreationMessageRow, CreationOperationRow, CreationSessionRow
from resolvers.gallery.play_types import PlayType
from schema.ai_tasks.types import AiTask
from schema.creation.loaders import CreationLoaders
from schema.gallery import work as _work  # noqa: F401  (registers the PlayType enum)
from schema.relay import Connection

strawberry.enum(MessageRole, name="CreationMessageRole", description="Who wrote a message.")
strawberry.enum(
    MessageKind,
    name="CreationMessageKind",
    description="CHAT: part of the conversation. WARNING: a note that the agent's reply could "
    "not be used as it was (the draft was kept).",
)
strawberry.enum(
    OperationStatus,
    name="CreationOperationStatus",
    description="RUNNING while the turn's AI task runs; COMPLETED once its reply is applied; "
    "FAILED or CANCELLED with its task (nothing else changed).",
)
strawberry.enum(
    ReplyFormat,
    name="CreationReplyFormat",
    description="TEXT: the built-in agent (the draft is derived from the conversation). "
    "JSON: a model asked for a JSON object with the reply and the whole draft.",
)
strawberry.enum(CreationErrorCode, description="Why a creation mutation was refused.")

FIRST = "Page size, 1 to 100 (default 20)."
AFTER = "`endCursor` of the previous page."


@strawberry.type(description="One message of a creation conversation.")
class CreationMessage:
    message_id: strawberry.ID = strawberry.field(description="The message's id (time-sorted).")
    role: MessageRole = strawberry.field(description="USER, ASSISTANT or SYSTEM.")
    kind: MessageKind = strawberry.field(description="CHAT or WARNING.")
    text: str = strawberry.field(description="The words, up to 4000 characters.")
    created_at: datetime = strawberry.field(description="When it was written.")

    @classmethod
    def from_row(cls, row: CreationMessageRow) -> CreationMessage:
        return cls(
            message_id=strawberry.ID(row.message_id),
            role=row.role,
            kind=row.kind,
            text=row.text,
            created_at=row.created_at,
        )


@strawberry.type(
    description="One agent turn: started by a user message, answered by an AI task of kind "
    "CREATION_AGENT_REPLY whose text streams on `aiTaskEvents(taskId)`."
)
class CreationAgentOperation:
    operation_id: strawberry.ID = strawberry.field(description="The turn's id.")
    play_type: PlayType = strawberry.field(description="The play type of its session.")
    session_id: strawberry.ID = strawberry.field(description="Its session.")
    operation_type: str = strawberry.field(description="`agent_reply`.")
    status: OperationStatus = strawberry.field(description="Where the turn is.")
    phase_label: str = strawberry.field(description="Short label of its phase.")
    phase_detail: str = strawberry.field(description="What the phase means.")
    progress: int = strawberry.field(description="0 while running, 100 once finished.")
    error_message: str | None = strawberry.field(
        description="FAILED or CANCELLED: the AI task's failure message, if any."
    )
    warning_message: str | None = strawberry.field(
        description="COMPLETED with an unusable reply (invalid JSON, an invalid draft): why "
        "the previous draft was kept."
    )
    reply_format: ReplyFormat = strawberry.field(description="What the agent was asked for.")
    task_id: strawberry.ID = strawberry.field(
        description="The AI task producing the reply: subscribe to `aiTaskEvents` with it."
    )
    user_message_id: strawberry.ID = strawberry.field(description="The message that started it.")
    created_at: datetime = strawberry.field(description="When it started.")
    updated_at: datetime = strawberry.field(description="Its last change.")
    finished_at: datetime | None = strawberry.field(description="When it finished, if it has.")
    loaders: strawberry.Private[CreationLoaders]

    @classmethod
    def from_row(
        cls, row: CreationOperationRow, loaders: CreationLoaders
    ) -> CreationAgentOperation:
        return cls(
            operation_id=strawberry.ID(row.operation_id),
            play_type=row.play_type,
            session_id=strawberry.ID(row.session_id),
            operation_type=row.operation_type,
            status=row.status,
            phase_label=row.phase_label,
            phase_detail=row.phase_detail,
            progress=row.progress,
            error_message=row.error_message,
            warning_message=row.warning_message,
            reply_format=row.reply_format,
            task_id=strawberry.ID(row.task_id),
            user_message_id=strawberry.ID(row.user_message_id),
            created_at=row.created_at,
            updated_at=row.updated_at,
            finished_at=row.finished_at,
            loaders=loaders,
        )

    @strawberry.field(description="The AI task: status, streamed text so far, events.")
    async def task(self) -> AiTask | None:
        row = await self.loaders.tasks.load(str(self.task_id))
        return AiTask.from_row(row, self.loaders.ai_tasks) if row is not None else None


@strawberry.interface(
    description="A creation session of any play type: its seed, stage, progress, draft and "
    "the conversation with the creation agent. Only its owner sees it."
)
class CreationSession:
    session_id: strawberry.ID = strawberry.field(description="The session's id.")
    play_type: PlayType = strawberry.field(description="The play type being created.")
    seed_text: str = strawberry.field(description="The creator's seed idea (autosaved form).")
    stage: str = strawberry.field(
        description="The play type's stage, lower case (puzzles: `collecting_anchors`, "
        "`draft_ready`, `published`)."
    )
    progress: int = strawberry.field(description="How complete the draft is, 0 to 100.")
    current_turn: int = strawberry.field(description="Messages the creator has sent.")
    draft: JSON | None = strawberry.field(
        description="The draft as stored (the play type's typed draft has its own field)."
    )
    last_assistant_reply: str | None = strawberry.field(
        description="The agent's latest reply, if any."
    )
    created_at: datetime = strawberry.field(description="When it was started.")
    updated_at: datetime = strawberry.field(description="Its last change.")
    creation_loaders: strawberry.Private[CreationLoaders]

    @staticmethod
    def session_fields(
        *,
        play_type: PlayType,
        row: CreationSessionRow,
        draft: Any,
        loaders: CreationLoaders,
    ) -> dict[str, Any]:
        """Constructor arguments of the shared part from the shared columns of a play
        type's session (`CreationSessionRow`)."""
        return {
            "session_id": strawberry.ID(row.session_id),
            "play_type": PlayType(play_type),
            "seed_text": row.seed_text,
            "stage": row.stage,
            "progress": row.progress_percent,
            "current_turn": row.current_turn,
            "draft": draft,
            "last_assistant_reply": row.last_assistant_reply,
            "created_at": row.created_at,
            "updated_at": row.updated_at,
            "creation_loaders": loaders,
        }

    @strawberry.field(description="The conversation, oldest first (keyset paging).")
    async def messages(
        self,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[CreationMessage]:
        page = await self.creation_loaders.messages.load(
            (self.play_type, str(self.session_id), first, after)
        )
        return Connection[CreationMessage].from_page(page, CreationMessage.from_row)

    @strawberry.field(description="The agent turns, newest first (keyset paging).")
    async def operations(
        self,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[CreationAgentOperation]:
        page = await self.creation_loaders.operations.load(
            (self.play_type, str(self.session_id), first, after)
        )
        loaders = self.creation_loaders
        return Connection[CreationAgentOperation].from_page(
            page, lambda row: CreationAgentOperation.from_row(row, loaders)
        )

    @strawberry.field(description="The newest agent turn, if any (RUNNING while it answers).")
    async def latest_operation(self) -> CreationAgentOperation | None:
        row = await self.creation_loaders.latest.load((self.play_type, str(self.session_id)))
        return CreationAgentOperation.from_row(row, self.creation_loaders) if row else None


@strawberry.type(name="CreationError", description="Why a creation mutation did nothing.")
class CreationErrorType:
    code: CreationErrorCode = strawberry.field(description="Machine-readable reason.")
    field: str | None = strawberry.field(description="The input field at fault, if any.")
    message: str = strawberry.field(description="Human-readable explanation.")
