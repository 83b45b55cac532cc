"""Agent turns through the framework's resolvers, with puzzles as the play type and the AI
task driven by hand (no worker): a turn's life, one turn at a time, failures and
cancellations, a reply whose listener never ran, applying once under concurrency, and who
may send."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from db.tables.ai_tasks import AiTask
from db.tables.creation import CreationAgentOperation
from db.tables.puzzle import PuzzleAgentMessage, PuzzleAgentSession
from resolvers.ai_tasks import finish_listeners, transitions
from resolvers.creation import turns
from resolvers.creation.errors import CreationError
from resolvers.errors import NotAuthenticated, NotFound
from resolvers.gallery.play_types import PlayType
from resolvers.principal import ANONYMOUS
from resolvers.puzzle import sessions
from tests.factories.auth import make_user
from tests.factories.creation import answer, service


async def _session(principal: Any, seed: str = "A harbor at night") -> str:
    started = await sessions.start_session(viewer=principal, seed_text=seed)
    return str(started.session.session_id)


async def _send(principal: Any, session_id: str, text: str = "Three levels, please") -> Any:
    return await turns.send_message(
        viewer=principal, play_type=PlayType.PUZZLE, session_id=session_id, text=text
    )


async def _messages(session_id: str) -> list[tuple[str, str]]:
    rows = (
        await PuzzleAgentMessage.select(PuzzleAgentMessage.role, PuzzleAgentMessage.kind)
        .where(PuzzleAgentMessage.session_id == session_id)
        .order_by(PuzzleAgentMessage.message_id)
    )
    return [(row["role"], row["kind"]) for row in rows]


async def _operation(operation_id: str) -> dict[str, Any]:
    row = (
        await CreationAgentOperation.select()
        .where(CreationAgentOperation.operation_id == operation_id)
        .first()
    )
    assert row is not None
    return row


async def _stored_session(session_id: str) -> dict[str, Any]:
    row = (
        await PuzzleAgentSession.select()
        .where(PuzzleAgentSession.session_id == session_id)
        .output(load_json=True)
        .first()
    )
    assert row is not None
    return row


async def test_a_message_starts_a_turn_whose_reply_updates_the_session(hub: Any) -> None:
    # given a fresh puzzle session
    user = await make_user()
    session_id = await _session(user.principal)
    # when the creator sends a message
    started = await _send(user.principal, session_id)
    # then a RUNNING turn tracks a queued CREATION_AGENT_REPLY task about the session
    assert (started.operation.status, started.operation.progress) == ("running", 0)
    assert (started.operation.play_type, started.operation.reply_format) == (
        "puzzle",
        "text",
    )
    task = await AiTask.select().where(AiTask.task_id == started.task["task_id"]).first()
    assert task is not None
    assert (task["task_kind"], task["source_module"], task["source_entity_id"], task["status"]) == (
        "creation_agent_reply",
        "puzzle",
        session_id,
        "pending",
    )
    assert await _messages(session_id) == [("user", "chat")]
    # when the task completes with a reply
    await answer(started.task["task_id"], "Here is a plan for your harbor.")
    # then the reply is in the log and the session has a draft with levels
    assert await _messages(session_id) == [("user", "chat"), ("assistant", "chat")]
    stored = await _stored_session(session_id)
    assert stored["last_assistant_reply"] == "Here is a plan for your harbor."
    assert (stored["stage"], stored["progress_percent"], stored["current_turn"]) == (
        "draft_ready",
        100,
        1,
    )
    levels = stored["draft_json"]["levels"]
    assert 2 <= len(levels) <= 4
    assert all(3 <= level["gridSize"] <= 8 and level["name"] for level in levels)
    operation = await _operation(started.operation.operation_id)
    assert (operation["status"], operation["progress"], operation["warning_message"]) == (
        "completed",
        100,
        None,
    )


async def test_a_session_takes_one_turn_at_a_time(hub: Any) -> None:
    # given a session whose agent is still answering
    user = await make_user()
    session_id = await _session(user.principal)
    first = await _send(user.principal, session_id)
    # when the creator sends another message
    with pytest.raises(CreationError) as refused:
        await _send(user.principal, session_id, "And a fourth level")
    # then it is refused and nothing of it was written
    assert refused.value.code == "TURN_IN_PROGRESS"
    assert await _messages(session_id) == [("user", "chat")]
    assert await CreationAgentOperation.count() == 1
    assert await AiTask.count() == 1
    # once the reply is applied, the next message is accepted
    await answer(first.task["task_id"], "Done.")
    await _send(user.principal, session_id, "And a fourth level")
    assert await CreationAgentOperation.count() == 2


async def test_failed_and_cancelled_turns_change_only_their_operation(hub: Any) -> None:
    user = await make_user()
    session_id = await _session(user.principal)
    # given a turn whose task fails
    failed = await _send(user.principal, session_id)
    await transitions.fail_task(
        viewer=service(), task_id=failed.task["task_id"], message="The model is down."
    )
    # then the operation says so and neither the draft nor the log changed
    operation = await _operation(failed.operation.operation_id)
    assert (operation["status"], operation["error_message"]) == ("failed", "The model is down.")
    stored = await _stored_session(session_id)
    assert (stored["draft_json"], stored["stage"], stored["last_assistant_reply"]) == (
        None,
        "collecting_anchors",
        None,
    )
    assert await _messages(session_id) == [("user", "chat")]
    # given a turn its owner cancels
    cancelled = await _send(user.principal, session_id, "Try again")
    await transitions.cancel_task(viewer=user.principal, task_id=cancelled.task["task_id"])
    # then it is CANCELLED, and still nothing else changed
    operation = await _operation(cancelled.operation.operation_id)
    assert operation["status"] == "cancelled"
    assert (await _stored_session(session_id))["draft_json"] is None


async def test_a_reply_whose_listener_never_ran_is_applied_when_the_session_is_read(
    hub: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a turn whose task completed in a process that stopped before applying it
    user = await make_user()
    session_id = await _session(user.principal)
    started = await _send(user.principal, session_id)
    monkeypatch.setattr(finish_listeners, "listeners", dict)
    await answer(started.task["task_id"], "A reply nobody applied yet.")
    assert (await _operation(started.operation.operation_id))["status"] == "running"
    # when the session is read
    row = await sessions.owned_session(viewer=user.principal, session_id=session_id)
    # then the reply was applied first
    assert row.shared.last_assistant_reply == "A reply nobody applied yet."
    assert (await _operation(started.operation.operation_id))["status"] == "completed"
    assert await _messages(session_id) == [("user", "chat"), ("assistant", "chat")]


async def test_a_finished_turn_is_applied_once_whoever_races_to_apply_it(
    hub: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a completed task whose turn is not applied yet
    user = await make_user()
    session_id = await _session(user.principal)
    started = await _send(user.principal, session_id)
    monkeypatch.setattr(finish_listeners, "listeners", dict)
    await answer(started.task["task_id"], "Applied once.")
    # when eight appliers race (listeners, readers, a sweep)
    applied = await asyncio.gather(
        *(turns.apply_operation(started.operation.operation_id) for _ in range(8))
    )
    # then exactly one applied it: one assistant message
    assert sorted(applied) == [False] * 7 + [True]
    assert await _messages(session_id) == [("user", "chat"), ("assistant", "chat")]
    assert await turns.settle_all() == 0


async def test_the_built_in_agent_derives_its_draft_from_the_seed_and_the_conversation(
    hub: Any,
) -> None:
    user = await make_user()

    async def draft_for(seed: str) -> list[tuple[str, int]]:
        session_id = await _session(user.principal, seed)
        started = await _send(user.principal, session_id, "Make it cosy")
        await answer(started.task["task_id"], "Sure.")
        levels = (await _stored_session(session_id))["draft_json"]["levels"]
        return [(level["name"], level["gridSize"]) for level in levels]

    # given the same message after three seeds, two of them equal
    harbor = await draft_for("A harbor at night")
    garden = await draft_for("A winter garden")
    harbor_again = await draft_for("A harbor at night")
    # then different seeds give different levels, the same seed the same ones
    assert harbor != garden
    assert harbor == harbor_again


async def test_only_the_owner_may_talk_to_a_session_and_refusals_write_nothing(hub: Any) -> None:
    owner = await make_user()
    intruder = await make_user()
    session_id = await _session(owner.principal)
    with pytest.raises(NotFound):
        await _send(intruder.principal, session_id)
    with pytest.raises(NotAuthenticated):
        await _send(ANONYMOUS, session_id)
    for text, code in [("   ", "MESSAGE_INVALID"), ("x" * 4001, "MESSAGE_INVALID")]:
        with pytest.raises(CreationError) as refused:
            await _send(owner.principal, session_id, text)
        assert refused.value.code == code
    with pytest.raises(NotFound):
        # a session id of another play type names no session of this one
        await turns.send_message(
            viewer=owner.principal, play_type=PlayType.BIG_FISH, session_id=session_id, text="hi"
        )
    assert await _messages(session_id) == []
    assert await CreationAgentOperation.count() == 0
    assert await AiTask.count() == 0
    assert (await _stored_session(session_id))["current_turn"] == 0


async def test_a_turn_whose_workers_kept_dying_fails_when_its_task_is_given_up(
    hub: Any, clock: Any
) -> None:
    from resolvers.ai_tasks import continuation, leases

    # given a turn whose task workers claimed and died with, each lease expiring, more
    # often than GENERATION_MAX_ATTEMPTS (3) takeovers allow
    user = await make_user()
    session_id = await _session(user.principal)
    started = await _send(user.principal, session_id)
    for _ in range(5):
        claim = await leases.claim_next(worker_id="gone", lease_seconds=30)
        clock.advance(seconds=60)
    assert claim == leases.Claim(started.task["task_id"], attempts=5)
    # when the last claim gives it up
    assert (
        await continuation.prepare(viewer=service(), worker_id="gone", claim=claim, max_takeovers=3)
        is None
    )
    # then the turn is FAILED with the task's message, and the session can talk again
    operation = await _operation(started.operation.operation_id)
    assert operation["status"] == "failed"
    assert "stopped" in operation["error_message"]
    await _send(user.principal, session_id, "Again")
