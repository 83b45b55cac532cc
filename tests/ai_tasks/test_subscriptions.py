"""AI-task events over WebSocket (graphql-transport-ws): order, cursors, races, limits, auth."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from httpx_ws import WebSocketDisconnect

from db.tables.ai_tasks import AiTextChunk
from resolvers.ai_tasks import chunk_appends, reading, stage_transitions, transitions
from resolvers.ai_tasks.generation import embedded_reply
from resolvers.ai_tasks.model import AiTaskStageKind, owner_stream, task_stream
from subscriptions.channels import stream_channel
from tests.factories.ai_tasks import SERVICE, append_words, make_streaming_task, make_task
from tests.factories.auth import make_user
from tests.fixtures import GraphQLClient
from tests.waiting import subscribed
from tests.ws import GraphQLSocket, graphql_socket

TASK_EVENTS = """subscription($t: ID!, $after: Int) { aiTaskEvents(taskId: $t, after: $after) {
  sequence taskId kind status stageKind deltaText chunkSequence failureMessage } }"""
MY_EVENTS = """subscription($after: Int) { viewerAiTaskEvents(after: $after) {
  sequence taskId kind } }"""
GENERATE = """mutation($p: String!) { aiTaskGenerate(input: {prompt: $p}) {
  errors { code } task { taskId } } }"""
GENERATE_WORDS = 12
FINAL = ("COMPLETED", "FAILED", "CANCELLED")


async def _events(socket: GraphQLSocket, count: int, timeout: float = 5) -> list[dict[str, Any]]:
    events = []
    for payload in await socket.next_payloads(count, timeout=timeout):
        assert "errors" not in payload, payload
        events.append(next(iter(payload["data"].values())))
    return events


async def _until_final(socket: GraphQLSocket, timeout: float = 10) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    async with asyncio.timeout(timeout):
        while not events or events[-1]["kind"] not in FINAL:
            events += await _events(socket, 1, timeout=timeout)
    return events


async def _close_code(socket: GraphQLSocket, timeout: float = 5) -> int:
    with pytest.raises(WebSocketDisconnect) as closed:
        async with asyncio.timeout(timeout):
            while True:
                await socket.session.receive_text()
    return int(closed.value.code)


async def _nothing_more(socket: GraphQLSocket, wait: float = 0.3) -> None:
    """A bounded check that no further message arrives (used after the final event)."""
    with pytest.raises(TimeoutError):
        await socket.receive(timeout=wait)


def _text_of(events: list[dict[str, Any]]) -> str:
    return "".join(e["deltaText"] for e in events if e["kind"] == "TEXT_CHUNK")


async def test_a_client_receives_every_chunk_once_and_in_order_then_the_completion(
    client: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    # given a user who asks for a generation and subscribes to its events at once
    owner = await make_user()
    generated = await gql.execute(GENERATE, {"p": "Night market"}, token=owner.access_token)
    task_id = generated["data"]["aiTaskGenerate"]["task"]["taskId"]
    async with graphql_socket(client, owner.access_token) as socket:
        await socket.subscribe(TASK_EVENTS, {"t": task_id, "after": 0})
        # then every event arrives once, in order, the text word by word, then the completion
        events = await _until_final(socket)
        await _nothing_more(socket)
    assert [e["sequence"] for e in events] == list(range(1, len(events) + 1))
    assert [e["kind"] for e in events] == [
        "CREATED",
        "STARTED",
        "STAGE_STARTED",
        *["TEXT_CHUNK"] * GENERATE_WORDS,
        "STAGE_COMPLETED",
        "COMPLETED",
    ]
    chunks = [e for e in events if e["kind"] == "TEXT_CHUNK"]
    assert [e["chunkSequence"] for e in chunks] == list(range(1, GENERATE_WORDS + 1))
    assert {e["stageKind"] for e in chunks} == {"REQUEST_MODEL"}
    assert _text_of(events) == " ".join(embedded_reply("Night market", word_count=12))
    assert events[-1]["status"] == "COMPLETED"
    assert {e["taskId"] for e in events} == {task_id}


async def test_a_client_that_disconnects_halfway_resumes_with_its_cursor_and_gets_the_rest(
    client: httpx.AsyncClient,
) -> None:
    # given a streaming task (events 1-3) and a subscriber
    owner = await make_user()
    task = await make_streaming_task(owner)
    task_id = task.task_id
    async with graphql_socket(client, owner.access_token) as socket:
        await socket.subscribe(TASK_EVENTS, {"t": task_id, "after": 0})
        await subscribed(stream_channel(task_stream(task_id)))
        # when five words arrive live and it reads up to sequence 5, then goes away
        await append_words(task_id, ["one ", "two ", "three ", "four ", "five "], prefix="a")
        first = await _events(socket, 5)
    assert [e["sequence"] for e in first] == [1, 2, 3, 4, 5]
    # and meanwhile the task streams on and completes
    await append_words(task_id, ["six ", "seven ", "eight ", "nine ", "ten"], prefix="b")
    await stage_transitions.complete_stage(
        viewer=SERVICE, task_id=task_id, stage_kind=AiTaskStageKind.REQUEST_MODEL
    )
    await transitions.complete_task(viewer=SERVICE, task_id=task_id)
    # then resubscribing after 5 delivers exactly the rest
    async with graphql_socket(client, owner.access_token) as socket:
        await socket.subscribe(TASK_EVENTS, {"t": task_id, "after": 5})
        rest = await _until_final(socket)
        await _nothing_more(socket)
    assert [e["sequence"] for e in rest] == list(range(6, 16))
    assert _text_of(first + rest) == "one two three four five six seven eight nine ten"
    assert rest[-1]["kind"] == "COMPLETED"


async def test_reconnecting_over_and_over_while_writers_race_delivers_every_sequence_once(
    client: httpx.AsyncClient,
) -> None:
    # given a streaming task (events 1-3), four writers appending 25 chunks each at once
    owner = await make_user()
    task = await make_streaming_task(owner)
    task_id = task.task_id
    chooser = random.Random(20261123)
    writers_per_task, chunks_per_writer = 4, 25
    total = 3 + writers_per_task * chunks_per_writer + 2

    async def writer(number: int) -> None:
        for chunk in range(chunks_per_writer):
            await chunk_appends.append_chunk(
                viewer=SERVICE,
                task_id=task_id,
                stage_kind=AiTaskStageKind.REQUEST_MODEL,
                chunk_id=f"{number}-{chunk}",
                delta_text=f"{number}.{chunk} ",
            )
            await asyncio.sleep(chooser.random() * 0.004)

    async def write_all() -> None:
        await asyncio.gather(*[writer(number) for number in range(writers_per_task)])
        await stage_transitions.complete_stage(
            viewer=SERVICE, task_id=task_id, stage_kind=AiTaskStageKind.REQUEST_MODEL
        )
        await transitions.complete_task(viewer=SERVICE, task_id=task_id)

    # and a client that reads a few events, drops the socket and resumes, again and again
    async def reader() -> tuple[list[int], int]:
        received: list[int] = []
        reconnections = 0
        while not received or received[-1] < total:
            async with graphql_socket(client, owner.access_token) as socket:
                reconnections += 1
                cursor = received[-1] if received else 0
                await socket.subscribe(TASK_EVENTS, {"t": task_id, "after": cursor})
                wanted = min(chooser.randint(1, 8), total - cursor)
                received += [e["sequence"] for e in await _events(socket, wanted, timeout=10)]
        return received, reconnections

    async with asyncio.timeout(60):
        (received, reconnections), _ = await asyncio.gather(reader(), write_all())
    # then it saw every sequence exactly once, in order
    assert received == list(range(1, total + 1))
    assert reconnections >= 10
    assert await AiTextChunk.count() == writers_per_task * chunks_per_writer


@pytest.fixture
def small_queues(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Subscriber queues of 4 messages, for the app created after this fixture."""
    from settings import get_settings

    monkeypatch.setenv("REALTIME_QUEUE_SIZE", "4")
    get_settings.cache_clear()
    yield


async def test_a_consumer_that_falls_behind_is_closed_with_4008_and_resumes_from_its_cursor(
    small_queues: None, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a subscriber whose first load of events is held up
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
    async with graphql_socket(client, owner.access_token) as socket:
        await socket.subscribe(TASK_EVENTS, {"t": task_id, "after": 0})
        async with asyncio.timeout(5):
            await held.wait()
        # when ten events are published while it cannot keep up (queue of 4)
        await append_words(task_id, [f"w{n} " for n in range(10)])
        release.set()
        # then it gets what it had, and the socket closes with 4008
        received = await _events(socket, 3)
        assert [e["sequence"] for e in received] == [1, 2, 3]
        assert await _close_code(socket) == 4008
    # and resuming from its last sequence delivers the rest
    async with graphql_socket(client, owner.access_token) as socket:
        await socket.subscribe(TASK_EVENTS, {"t": task_id, "after": 3})
        rest = await _events(socket, 10)
    assert [e["sequence"] for e in rest] == list(range(4, 14))


@pytest.fixture
def slow_generation(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from settings import get_settings

    monkeypatch.setenv("GENERATION_WORDS_PER_SECOND", "40")
    monkeypatch.setenv("GENERATION_WORD_COUNT", "400")
    get_settings.cache_clear()
    yield


async def test_a_generation_cancelled_mid_stream_stops_for_its_subscribers(
    slow_generation: None, client: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    # given a subscriber watching a long generation stream in
    owner = await make_user()
    generated = await gql.execute(GENERATE, {"p": "An endless road"}, token=owner.access_token)
    task_id = generated["data"]["aiTaskGenerate"]["task"]["taskId"]
    async with graphql_socket(client, owner.access_token) as socket:
        await socket.subscribe(TASK_EVENTS, {"t": task_id, "after": 0})
        seen = await _events(socket, 6)  # CREATED, STARTED, STAGE_STARTED, three words
        # when its owner cancels it
        cancelled = await gql.execute(
            "mutation($t: ID!) { aiTaskCancel(taskId: $t) { errors { code } task { status } } }",
            {"t": task_id},
            token=owner.access_token,
        )
        assert cancelled["data"]["aiTaskCancel"]["task"]["status"] == "CANCELLED"
        # then the text stops: the cancellation is the last event, and no word follows it
        seen += await _until_final(socket)
        await _nothing_more(socket)
    assert seen[-1]["kind"] == "CANCELLED"
    assert seen[-1]["stageKind"] == "REQUEST_MODEL"
    words = [e for e in seen if e["kind"] == "TEXT_CHUNK"]
    assert 3 <= len(words) < 400
    assert await AiTextChunk.count() == len(words)
    assert [e["sequence"] for e in seen] == list(range(1, len(seen) + 1))


async def test_another_users_task_is_not_found_and_their_events_never_arrive(
    client: httpx.AsyncClient,
) -> None:
    owner = await make_user()
    intruder = await make_user()
    task = await make_streaming_task(owner)
    async with graphql_socket(client, intruder.access_token) as socket:
        # subscribing to someone else's task is NOT_FOUND
        await socket.subscribe(TASK_EVENTS, {"t": task.task_id})
        (refused,) = await socket.next_payloads(1)
        assert refused["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        # their own stream never carries the owner's events
        await socket.subscribe(MY_EVENTS, {"after": None})
        await subscribed(stream_channel(owner_stream(intruder.user_id)))
        await append_words(task.task_id, ["private ", "words"])
        await transitions.cancel_task(viewer=owner.principal, task_id=task.task_id)
        own = await make_task(intruder)
        (first,) = await _events(socket, 1)
        assert first == {"sequence": 1, "taskId": own.task_id, "kind": "CREATED"}


@pytest.mark.parametrize("query", [TASK_EVENTS, MY_EVENTS])
async def test_anonymous_and_service_sockets_are_refused(
    client: httpx.AsyncClient, service_token: str, query: str
) -> None:
    owner = await make_user()
    task = await make_task(owner)
    for token, code in [(None, "UNAUTHENTICATED"), (service_token, "FORBIDDEN")]:
        async with graphql_socket(client, token) as socket:
            await socket.subscribe(query, {"t": task.task_id, "after": 0})
            (refused,) = await socket.next_payloads(1)
            assert refused["errors"][0]["extensions"]["code"] == code


async def test_a_cursor_beyond_the_stream_is_refused(client: httpx.AsyncClient) -> None:
    owner = await make_user()
    task = await make_task(owner)
    async with graphql_socket(client, owner.access_token) as socket:
        await socket.subscribe(TASK_EVENTS, {"t": task.task_id, "after": 5})
        (refused,) = await socket.next_payloads(1)
        assert refused["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_logging_out_closes_the_subscription_with_4401(
    client: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    owner = await make_user()
    task = await make_streaming_task(owner)
    async with graphql_socket(client, owner.access_token) as socket:
        await socket.subscribe(TASK_EVENTS, {"t": task.task_id, "after": 0})
        assert len(await _events(socket, 3)) == 3
        await gql.execute(
            "mutation { authLogoutAll { endedSessionCount } }", token=owner.access_token
        )
        assert await _close_code(socket, timeout=1) == 4401


async def test_all_my_tasks_arrive_in_one_stream_with_its_own_sequences(
    client: httpx.AsyncClient,
) -> None:
    owner = await make_user()
    first = await make_task(owner)
    second = await make_streaming_task(owner)
    async with graphql_socket(client, owner.access_token) as socket:
        await socket.subscribe(MY_EVENTS, {"after": 2})
        await subscribed(stream_channel(owner_stream(owner.user_id)))
        await transitions.cancel_task(viewer=owner.principal, task_id=first.task_id)
        events = await _events(socket, 3)
    assert events == [
        {"sequence": 3, "taskId": second.task_id, "kind": "STARTED"},
        {"sequence": 4, "taskId": second.task_id, "kind": "STAGE_STARTED"},
        {"sequence": 5, "taskId": first.task_id, "kind": "CANCELLED"},
    ]


async def test_the_51st_subscription_on_one_connection_is_refused(
    client: httpx.AsyncClient,
) -> None:
    owner = await make_user()
    async with graphql_socket(client, owner.access_token) as socket:
        for _ in range(50):
            await socket.subscribe(MY_EVENTS, {"after": None})
        await subscribed(stream_channel(owner_stream(owner.user_id)), count=50)
        await socket.subscribe(MY_EVENTS, {"after": None})
        refused = await socket.receive()
    assert refused["type"] == "error"
    assert refused["id"] == "51"
    assert refused["payload"][0]["message"] == "Subscription limit reached"
