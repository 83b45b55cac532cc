"""AI-task events over GraphQL-over-SSE (`Accept: text/event-stream`): order, cursors, auth."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from resolvers.ai_tasks import reading, stage_transitions, transitions
from resolvers.ai_tasks.generation import embedded_reply
from resolvers.ai_tasks.model import AiTaskStageKind, task_stream
from subscriptions.channels import stream_channel
from tests.factories.ai_tasks import SERVICE, append_words, make_streaming_task
from tests.factories.auth import make_user
from tests.fixtures import GraphQLClient
from tests.sse import EventStream, streaming_client, subscribe_sse
from tests.waiting import subscribed, unsubscribed

TASK_EVENTS = """subscription($t: ID!, $after: Int) { aiTaskEvents(taskId: $t, after: $after) {
  sequence taskId kind status stageKind deltaText chunkSequence } }"""
GENERATE = """mutation($p: String!) { aiTaskGenerate(input: {prompt: $p}) {
  errors { code } task { taskId } } }"""
GENERATE_WORDS = 12
FINAL = ("COMPLETED", "FAILED", "CANCELLED")


@pytest.fixture
async def sse(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with streaming_client(app) as http:
        yield http


async def _events(stream: EventStream, count: int, timeout: float = 5) -> list[dict[str, Any]]:
    events = []
    for payload in await stream.payloads(count, timeout=timeout):
        assert "errors" not in payload, payload
        events.append(payload["data"]["aiTaskEvents"])
    return events


async def _until_final(stream: EventStream, timeout: float = 10) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    async with asyncio.timeout(timeout):
        while not events or events[-1]["kind"] not in FINAL:
            events += await _events(stream, 1, timeout=timeout)
    return events


def _text_of(events: list[dict[str, Any]]) -> str:
    return "".join(e["deltaText"] for e in events if e["kind"] == "TEXT_CHUNK")


async def test_sse_streams_a_generation_once_and_in_order_then_completes(
    sse: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    # given a user who asks for a generation and follows it over SSE
    owner = await make_user()
    generated = await gql.execute(GENERATE, {"p": "Night market"}, token=owner.access_token)
    task_id = generated["data"]["aiTaskGenerate"]["task"]["taskId"]
    async with subscribe_sse(
        sse, TASK_EVENTS, {"t": task_id, "after": 0}, token=owner.access_token
    ) as stream:
        # then every event arrives once, in order, the text word by word, then the completion
        events = await _until_final(stream)
        # (the subscription stays open after the final event, as over WebSocket)
        with pytest.raises(TimeoutError):
            await stream.event(timeout=0.3)
    assert [e["sequence"] for e in events] == list(range(1, len(events) + 1))
    assert [e["kind"] for e in events] == [
        "CREATED",
        "STARTED",
        "STAGE_STARTED",
        *["TEXT_CHUNK"] * GENERATE_WORDS,
        "STAGE_COMPLETED",
        "COMPLETED",
    ]
    assert _text_of(events) == " ".join(embedded_reply("Night market", word_count=12))
    assert {e["taskId"] for e in events} == {task_id}


async def test_an_sse_client_that_disconnects_halfway_resumes_with_its_cursor(
    sse: httpx.AsyncClient,
) -> None:
    # given a streaming task (events 1-3) and an SSE subscriber
    owner = await make_user()
    task = await make_streaming_task(owner)
    task_id = task.task_id
    channel = stream_channel(task_stream(task_id))
    async with subscribe_sse(
        sse, TASK_EVENTS, {"t": task_id, "after": 0}, token=owner.access_token
    ) as stream:
        await subscribed(channel)
        # when five words arrive live and it reads up to sequence 5, then goes away
        await append_words(task_id, ["one ", "two ", "three ", "four ", "five "], prefix="a")
        first = await _events(stream, 5)
    assert [e["sequence"] for e in first] == [1, 2, 3, 4, 5]
    # then its follower is gone (the disconnect ended the operation)
    await unsubscribed(channel, 0)
    # and meanwhile the task streams on and completes
    await append_words(task_id, ["six ", "seven ", "eight ", "nine ", "ten"], prefix="b")
    await stage_transitions.complete_stage(
        viewer=SERVICE, task_id=task_id, stage_kind=AiTaskStageKind.REQUEST_MODEL
    )
    await transitions.complete_task(viewer=SERVICE, task_id=task_id)
    # then resubscribing after 5 delivers exactly the rest
    async with subscribe_sse(
        sse, TASK_EVENTS, {"t": task_id, "after": 5}, token=owner.access_token
    ) as stream:
        rest = await _until_final(stream)
        with pytest.raises(TimeoutError):
            await stream.event(timeout=0.3)
    assert [e["sequence"] for e in rest] == list(range(6, 16))
    assert _text_of(first + rest) == "one two three four five six seven eight nine ten"


async def test_another_users_task_over_sse_is_not_found_then_complete(
    sse: httpx.AsyncClient,
) -> None:
    owner, stranger = await make_user(), await make_user()
    task = await make_streaming_task(owner)
    async with subscribe_sse(
        sse, TASK_EVENTS, {"t": task.task_id, "after": 0}, token=stranger.access_token
    ) as stream:
        name, data = await stream.event()
        assert name == "next"
        assert [e["extensions"]["code"] for e in data["errors"]] == ["NOT_FOUND"]
        assert await stream.event() == ("complete", None)


@pytest.fixture
def small_queues(monkeypatch: pytest.MonkeyPatch) -> None:
    """Subscriber queues of 4 messages, for the app created after this fixture."""
    from settings import get_settings

    monkeypatch.setenv("REALTIME_QUEUE_SIZE", "4")
    get_settings.cache_clear()


async def test_an_sse_consumer_that_falls_behind_gets_fell_behind_and_resumes(
    small_queues: None, sse: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given an SSE subscriber whose first load of events is held up
    owner = await make_user()
    task = await make_streaming_task(owner)
    task_id = task.task_id
    load_events = reading.load_events
    held, release = asyncio.Event(), asyncio.Event()

    async def slow_load(event_ids: list[str]) -> dict[str, dict[str, Any]]:
        if not release.is_set():
            held.set()
            await release.wait()
        return await load_events(event_ids)

    monkeypatch.setattr(reading, "load_events", slow_load)
    async with subscribe_sse(
        sse, TASK_EVENTS, {"t": task_id, "after": 0}, token=owner.access_token
    ) as stream:
        async with asyncio.timeout(5):
            await held.wait()
        # when ten events are published while it cannot keep up (queue of 4)
        await append_words(task_id, [f"w{n} " for n in range(10)])
        release.set()
        # then it gets what it had, then FELL_BEHIND and the end of the stream
        received = await _events(stream, 3)
        assert [e["sequence"] for e in received] == [1, 2, 3]
        name, data = await stream.event()
        assert name == "next"
        assert [e["extensions"]["code"] for e in data["errors"]] == ["FELL_BEHIND"]
        assert await stream.event() == ("complete", None)
    # and resuming from its last sequence delivers the rest
    async with subscribe_sse(
        sse, TASK_EVENTS, {"t": task_id, "after": 3}, token=owner.access_token
    ) as stream:
        rest = await _events(stream, 10)
    assert [e["sequence"] for e in rest] == list(range(4, 14))
