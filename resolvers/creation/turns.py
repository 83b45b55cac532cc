"""Agent turns for every play type: a user message → an AI task → the reply applied.

`send_message` (one transaction): lock the session (the owner's, else NOT_FOUND), refuse
while a turn is running (TURN_IN_PROGRESS), append the user message, queue an AI task of
kind CREATION_AGENT_REPLY (`source_module` = the play type, `source_entity_id` = the
session) that the generation worker runs, and record the turn's operation. The reply
streams to `aiTaskEvents` subscribers like any task.

When the task finishes, `apply_operation` applies it in one transaction: the operation
leaves RUNNING with one conditional UPDATE (so a turn is applied once, whoever gets
there first); a completed reply becomes the assistant message and the session's stage,
progress and draft (through the play type's adapter); a failed or cancelled task is
recorded on the operation and changes nothing else.

Who applies: the AI-task finish listener (`on_task_finished`, listed in
resolvers/play_types/registry.py; it runs right after the task's final commit) — and,
because a process can stop between that commit and the listener, every read of sessions
first applies their finished turns (`settle_*`: one statement when there is nothing to
do). No turn is lost.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from db.transactions import write_transaction
from resolvers import clock
from resolvers.ai_tasks import creating
from resolvers.ai_tasks.model import AiTaskKind, AiTaskStatus
from resolvers.creation.adapters import adapter_for
from resolvers.creation.errors import CreationError, CreationErrorCode
from resolvers.creation.model import (
    FINISHED_TASK,
    MAX_MESSAGE_LENGTH,
    TURN_OUTCOMES,
    MessageKind,
    MessageRole,
    OperationStatus,
    ReplyFormat,
)
from resolvers.creation.rows import CreationOperationRow
from resolvers.creation.store import operations
from resolvers.errors import NotFound
from resolvers.gallery.play_types import PlayType
from resolvers.ids import new_id
from resolvers.principal import Principal
from settings import get_settings
from subscriptions import streams

logger = logging.getLogger("genarrative.creation")

NOT_FOUND_MESSAGE = "No such creation session."
PHASE_WAITING = ("Waiting for the agent", "The reply streams into the turn's AI task.")
WARNED_DETAIL = "The reply was kept as a message; the draft did not change."
PHASE_DONE = {
    OperationStatus.COMPLETED: ("Reply applied", "The reply is in the conversation and the draft."),
    OperationStatus.FAILED: ("The agent failed", "Nothing changed: send the message again."),
    OperationStatus.CANCELLED: ("Cancelled", "Nothing changed."),
}


@dataclass(frozen=True, slots=True)
class TurnStarted:
    """A started turn: its operation (RUNNING), the user message and the queued task."""

    operation: CreationOperationRow
    message_id: str
    task: dict[str, Any]


def reply_format() -> ReplyFormat:
    """JSON when a real model answers (GENERATION_BACKEND=openai), text otherwise."""
    return ReplyFormat.JSON if get_settings().generation_backend == "openai" else ReplyFormat.TEXT


def _message_text(text: str) -> str:
    cleaned = text.strip()
    if not cleaned or len(cleaned) > MAX_MESSAGE_LENGTH or "\x00" in cleaned:
        raise CreationError(
            CreationErrorCode.MESSAGE_INVALID,
            f"A message takes 1 to {MAX_MESSAGE_LENGTH} characters.",
            field="text",
        )
    return cleaned


async def send_message(
    *, viewer: Principal, play_type: PlayType, session_id: str, text: str
) -> TurnStarted:
    """Start an agent turn in the viewer's session; see the module docstring."""
    owner = viewer.require_user()
    adapter = adapter_for(play_type)
    message = _message_text(text)
    await settle_sessions(play_type=play_type, session_ids=[session_id])
    chosen = reply_format()
    now = clock.now()
    operation_id = new_id()
    async with write_transaction():
        session = await adapter.lock_session(
            session_id=session_id, owner_user_id=owner, now=now, new_turn=True
        )
        if session is None:
            raise NotFound(NOT_FOUND_MESSAGE)
        refusal = adapter.refuse_turn(session)
        if refusal is not None:
            raise refusal
        # The session row is locked: a concurrent turn of this session committed before us
        # or waits for us, so this check cannot miss one.
        if await operations.turn_running(
            play_type=adapter.play_type.value, session_id=session.session_id
        ):
            raise CreationError(
                CreationErrorCode.TURN_IN_PROGRESS,
                "The agent is still answering your last message.",
            )
        message_id = await adapter.add_message(
            session=session,
            role=MessageRole.USER,
            kind=MessageKind.CHAT,
            text=message,
            operation_id=operation_id,
            now=now,
        )
        conversation = await adapter.conversation(session.session_id)
        task, entries = await creating.queue_generation(
            owner_user_id=owner,
            kind=AiTaskKind.CREATION_AGENT_REPLY,
            prompt=adapter.prompt(session, conversation, chosen),
            source_module=adapter.play_type.value,
            source_entity_id=session.session_id,
            request_payload={"operationId": operation_id, "replyFormat": chosen.value},
            now=now,
        )
        operation = await operations.insert_running(
            operation_id=operation_id,
            play_type=adapter.play_type.value,
            session_id=session.session_id,
            owner_user_id=owner,
            task_id=task["task_id"],
            user_message_id=message_id,
            reply_format=chosen.value,
            phase=PHASE_WAITING,
            now=now,
        )
        await adapter.record_operation(operation)
    await streams.publish(entries)
    await creating.announce_queued(task["task_id"])
    return TurnStarted(
        operation=CreationOperationRow.from_row(operation), message_id=message_id, task=task
    )


async def apply_operation(operation_id: str) -> bool:
    """Apply a finished turn once; True if this call applied it (False: not finished yet,
    or already applied)."""
    turn = await operations.running_turn(operation_id)
    if turn is None or turn.task_status not in FINISHED_TASK:
        return False
    adapter = adapter_for(turn.play_type)
    outcome_status = TURN_OUTCOMES[AiTaskStatus(turn.task_status)]
    now = clock.now()
    entries: list[streams.StreamEntry] = []
    async with write_transaction():
        closed = await operations.close_running(
            operation_id=operation_id,
            status=outcome_status,
            phase=PHASE_DONE[outcome_status],
            error_message=(
                turn.failure_message if outcome_status is not OperationStatus.COMPLETED else None
            ),
            now=now,
        )
        if closed is None:
            return False  # applied meanwhile by someone else
        operation = closed
        if outcome_status is OperationStatus.COMPLETED:
            session = await adapter.lock_session(
                session_id=turn.session_id, owner_user_id=None, now=now, new_turn=False
            )
            if session is not None:
                conversation = await adapter.conversation(session.session_id)
                outcome = adapter.outcome(
                    session,
                    conversation,
                    turn.latest_text_output or "",
                    ReplyFormat(turn.reply_format),
                )
                await adapter.add_message(
                    session=session,
                    role=MessageRole.ASSISTANT,
                    kind=MessageKind.CHAT,
                    text=outcome.assistant_text,
                    operation_id=operation_id,
                    now=now,
                )
                if outcome.warning is not None:
                    await adapter.add_message(
                        session=session,
                        role=MessageRole.SYSTEM,
                        kind=MessageKind.WARNING,
                        text=outcome.warning,
                        operation_id=operation_id,
                        now=now,
                    )
                    operation = await operations.record_warning(
                        operation_id=operation_id, warning=outcome.warning, detail=WARNED_DETAIL
                    )
                entries = await adapter.save_reply(session=session, outcome=outcome, now=now)
        await adapter.record_operation(operation)
    await streams.publish(entries)
    return True


async def _apply_all(operation_ids: Sequence[str]) -> None:
    for operation_id in operation_ids:
        try:
            await apply_operation(operation_id)
        except Exception:
            logger.exception("applying creation turn %s failed", operation_id)


async def settle_sessions(*, play_type: PlayType, session_ids: Sequence[str]) -> None:
    """Apply the finished, unapplied turns of these sessions (one statement if none)."""
    if not session_ids:
        return
    await _apply_all(
        await operations.finished_in_sessions(
            play_type=PlayType(play_type).value, session_ids=session_ids
        )
    )


async def settle_owner(*, owner_user_id: str) -> None:
    """Apply the finished, unapplied turns of all of a user's sessions (one statement if
    none): lists of sessions and works call this before reading."""
    await _apply_all(await operations.finished_of_owner(owner_user_id))


async def settle_all(*, limit: int = 100) -> int:
    """Apply up to `limit` finished, unapplied turns of anyone (operators, maintenance)."""
    operation_ids = await operations.finished_of_anyone(limit)
    await _apply_all(operation_ids)
    return len(operation_ids)


async def on_task_finished(task: dict[str, Any]) -> None:
    """The AI-task finish listener of CREATION_AGENT_REPLY (listed in the registry)."""
    await _apply_all(await operations.operations_of_task(task["task_id"]))
