"""Streams end resumably: a server-side failure while following a stream never ends it
with an error and `complete`. The follower retries an unavailable database (bounded);
after that a WebSocket closes with 4500 and an SSE stream ends with STREAM_INTERRUPTED,
and resubscribing with `after: <last sequence>` delivers exactly the rest."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import asyncpg
import httpx
import pytest
from httpx_ws import WebSocketDisconnect

from resolvers.ai_tasks import stage_transitions, transitions
from resolvers.ai_tasks.model import AiTaskStageKind, task_stream
from subscriptions import streams
from subscriptions.bus import current_hub
from subscriptions.channels import stream_channel
from tests.factories.ai_tasks import SERVICE, append_words, make_streaming_task
from tests.factories.auth import make_user
from tests.sse import streaming_client, subscribe_sse
from tests.waiting import subscribed
from tests.ws import GraphQLSocket, graphql_socket

TASK_EVENTS = """subscription($t: ID!, $after: Int) { aiTaskEvents(taskId: $t, after: $after) {
  sequence kind deltaText } }"""


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("db.faults.RETRY_DELAYS", (0.01, 0.01, 0.01))


def _failing_replay(monkeypatch: pytest.MonkeyPatch, failures: int) -> Callable[[], int]:
    """The next `failures` log reads fail as after `pg_terminate_backend`; returns how
    many reads were attempted."""
    original = streams.replay
    attempts = 0

    async def replay(stream_key: str, **kwargs: Any) -> list[streams.StreamEntry]:
        nonlocal attempts
        attempts += 1
        if attempts <= failures:
            raise asyncpg.ConnectionDoesNotExistError("connection was closed")
        return await original(stream_key, **kwargs)

    monkeypatch.setattr(streams, "replay", replay)
    return lambda: attempts


async def _force_a_log_read(task_id: str, after: int) -> None:
    """A live message beyond the next sequence: the follower reads the gap from the log."""
    hub = current_hub()
    assert hub is not None
    stream = task_stream(task_id)
    gap = streams.StreamEntry(stream, after + 2, "TEXT_CHUNK", "no-such-event")
    await hub.publish(stream_channel(stream), gap.message())


async def _events(socket: GraphQLSocket, count: int) -> list[dict[str, Any]]:
    payloads = await socket.next_payloads(count)
    assert all("errors" not in payload for payload in payloads), payloads
    return [payload["data"]["aiTaskEvents"] for payload in payloads]


async def _finish(task_id: str, words: list[str]) -> None:
    await append_words(task_id, words, prefix="late")
    await stage_transitions.complete_stage(
        viewer=SERVICE, task_id=task_id, stage_kind=AiTaskStageKind.REQUEST_MODEL
    )
    await transitions.complete_task(viewer=SERVICE, task_id=task_id)


async def test_a_failure_mid_stream_closes_the_socket_with_4500_and_resuming_gets_the_rest(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a subscriber that has received events 1-5 of a streaming task
    owner = await make_user()
    task_id = (await make_streaming_task(owner)).task_id
    async with graphql_socket(client, owner.access_token) as socket:
        await socket.subscribe(TASK_EVENTS, {"t": task_id, "after": 0})
        await subscribed(stream_channel(task_stream(task_id)))
        await append_words(task_id, ["one ", "two "], prefix="a")
        first = await _events(socket, 5)
        last = first[-1]["sequence"]
        # when its stream's log cannot be read, retries included
        attempts = _failing_replay(monkeypatch, failures=100)
        await _force_a_log_read(task_id, after=last)
        # then the socket closes with 4500, after no error message and no `complete`
        with pytest.raises(WebSocketDisconnect) as closed:
            async with asyncio.timeout(5):
                while True:
                    message = await socket.receive()
                    assert message["type"] not in ("next", "error", "complete"), message
    assert (closed.value.code, closed.value.reason) == (
        4500,
        "Stream interrupted: resubscribe with your last sequence.",
    )
    assert attempts() == 4  # the first read and three retries
    # when the database is back, the task goes on, and the client resubscribes after `last`
    monkeypatch.undo()
    await _finish(task_id, ["three ", "four"])
    async with graphql_socket(client, owner.access_token) as socket:
        await socket.subscribe(TASK_EVENTS, {"t": task_id, "after": last})
        rest = await _events(socket, 4)
    # then it gets exactly the rest, gap-free, to the completion
    assert [e["sequence"] for e in first + rest] == list(range(1, 10))
    assert [e["kind"] for e in rest] == ["TEXT_CHUNK", "TEXT_CHUNK", "STAGE_COMPLETED", "COMPLETED"]


async def test_a_brief_database_failure_is_retried_and_the_stream_goes_on(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a subscriber that has received events 1-3
    owner = await make_user()
    task_id = (await make_streaming_task(owner)).task_id
    async with graphql_socket(client, owner.access_token) as socket:
        await socket.subscribe(TASK_EVENTS, {"t": task_id, "after": 0})
        await subscribed(stream_channel(task_stream(task_id)))
        first = await _events(socket, 3)
        # when two log reads fail (a terminated connection, replaced by the pool)
        attempts = _failing_replay(monkeypatch, failures=2)
        await _force_a_log_read(task_id, after=3)
        await _finish(task_id, ["one ", "two"])
        # then the stream goes on without a close: every sequence once, in order
        rest = await _events(socket, 4)
    assert attempts() >= 3
    assert [e["sequence"] for e in first + rest] == list(range(1, 8))
    assert rest[-1]["kind"] == "COMPLETED"


async def test_a_failure_mid_sse_stream_ends_it_with_stream_interrupted(
    app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given an SSE subscriber that has received events 1-3
    owner = await make_user()
    task_id = (await make_streaming_task(owner)).task_id
    async with streaming_client(app) as http:
        async with subscribe_sse(
            http, TASK_EVENTS, {"t": task_id, "after": 0}, token=owner.access_token
        ) as stream:
            first = await stream.payloads(3)
            # when its stream's log cannot be read, retries included
            _failing_replay(monkeypatch, failures=100)
            await _force_a_log_read(task_id, after=3)
            # then the stream ends with an error that says to resubscribe
            name, data = await stream.event()
            ended, _ = await stream.event()
    assert [p["data"]["aiTaskEvents"]["sequence"] for p in first] == [1, 2, 3]
    assert name == "next"
    assert data["errors"][0]["extensions"]["code"] == "STREAM_INTERRUPTED"
    assert data["errors"][0]["message"] == (
        "Stream interrupted: subscribe again with your last sequence as `after`."
    )
    assert ended == "complete"
