"""A generation survives its process: uvicorn processes sharing the PostgreSQL run's
database and a Redis bus, a client following the task over WebSocket on another process.

- kill -9 of the process generating: the other's worker takes the task over once the lease
  expired (within GENERATION_LEASE_SECONDS + GENERATION_SWEEP_SECONDS), and the client's
  stream is gap-free to COMPLETED with exactly one RESUMED and an uninterrupted run's text;
- SIGTERM of that process: it hands the task back and the other continues it at once;
- 12 terminations of every database connection, 1.5 s apart, while the task streams and 4
  clients send requests: the task completes, the stream is gap-free, no bare 500.

Runs in the PostgreSQL run of the suite (the processes share its database).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from httpx_ws import WebSocketDisconnect

from db.tables.ai_tasks import AiTask, AiTasksWorkerLease
from resolvers.ai_tasks.generation import embedded_reply
from settings import get_settings
from tests.factories.ai_tasks import assert_no_running_task_without_a_lease
from tests.factories.auth import TestUser, make_user
from tests.redis_server import RedisServer
from tests.servers import Server, serve
from tests.waiting import eventually
from tests.ws import graphql_socket

ROOT = Path(__file__).resolve().parents[2]
EVENTS = (
    "subscription($t: ID!, $a: Int) { aiTaskEvents(taskId: $t, after: $a) "
    "{ sequence kind deltaText } }"
)
GENERATE = (
    "mutation($p: String!) { aiTaskGenerate(input: {prompt: $p}) "
    "{ errors { code } task { taskId } } }"
)
TERMINAL = ("COMPLETED", "FAILED", "CANCELLED")
PROMPT = "a lighthouse keeper's first winter"


@pytest.fixture
async def redis_url(postgres_only: None, own_redis: RedisServer) -> str:
    """A Redis of the test's own (tests/redis_server.py); the processes share the
    PostgreSQL run's database, so these tests run in that run only."""
    return own_redis.url


@pytest.fixture
async def servers() -> AsyncIterator[list[Server]]:
    """The processes a test starts (`servers.append`), stopped at its end whatever state
    they are in."""
    started: list[Server] = []
    yield started
    for server in started:
        if server.process.returncode is None:
            server.process.kill()
    for server in started:
        await server.process.wait()


def _worker_settings(*, words: int, words_per_second: float) -> dict[str, str]:
    return {
        "GENERATION_WORKER_ENABLED": "true",
        "GENERATION_WORD_COUNT": str(words),
        "GENERATION_WORDS_PER_SECOND": str(words_per_second),
    }


@dataclass
class Followed:
    """What a client following a task saw: events with their arrival times (monotonic),
    and how often the stream ended before the task did (it then resubscribed after its
    last sequence, as the API says)."""

    events: list[dict[str, Any]] = field(default_factory=list)
    arrived: list[float] = field(default_factory=list)
    interruptions: list[str] = field(default_factory=list)
    live: asyncio.Event = field(default_factory=asyncio.Event)

    def sequences(self) -> list[int]:
        return [event["sequence"] for event in self.events]

    def kinds(self) -> list[str]:
        return [event["kind"] for event in self.events]

    def text(self) -> str:
        return "".join(event["deltaText"] or "" for event in self.events)

    def arrival_of(self, kind: str) -> float:
        return self.arrived[self.kinds().index(kind)]


async def _follow(base: str, token: str, task_id: str, followed: Followed) -> None:
    """Follow the task to its end over WebSocket, resubscribing after the last sequence
    whenever the stream ends early."""
    async with httpx.AsyncClient() as client:
        while len(followed.interruptions) < 30:
            after = followed.events[-1]["sequence"] if followed.events else 0
            try:
                async with graphql_socket(client, token, url=f"{base}/graphql") as subscriber:
                    await subscriber.subscribe(EVENTS, {"t": task_id, "a": after})
                    while True:
                        message = await subscriber.receive(timeout=60)
                        if message["type"] != "next" or message["payload"].get("errors"):
                            followed.interruptions.append(str(message)[:300])
                            break
                        event = message["payload"]["data"]["aiTaskEvents"]
                        followed.events.append(event)
                        followed.arrived.append(time.monotonic())
                        if event["kind"] == "TEXT_CHUNK":
                            followed.live.set()
                        if event["kind"] in TERMINAL:
                            return
            except Exception as raised:  # the socket's task group wraps what ended it
                error = _unwrapped(raised)
                if isinstance(error, WebSocketDisconnect):
                    followed.interruptions.append(f"closed {error.code} {error.reason}")
                elif isinstance(error, httpx.TransportError | TimeoutError):
                    followed.interruptions.append(f"{type(error).__name__}: {error}")
                else:
                    raise
            await asyncio.sleep(0.1)  # a reconnecting client's pause, not a synchronisation
    raise AssertionError(f"the stream kept ending: {followed.interruptions[-3:]}")


def _unwrapped(error: BaseException) -> BaseException:
    while isinstance(error, BaseExceptionGroup) and len(error.exceptions) == 1:
        error = error.exceptions[0]
    return error


async def _generate(base: str, user: TestUser) -> str:
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"{base}/graphql",
            json={"query": GENERATE, "variables": {"p": PROMPT}},
            headers={"Authorization": f"Bearer {user.access_token}"},
        )
    payload = response.json()["data"]["aiTaskGenerate"]
    assert payload["errors"] == []
    return str(payload["task"]["taskId"])


async def _wait_for_text(followed: Followed, task: asyncio.Task[None], words: int) -> None:
    """Until the client has `words` chunks (the generation is well under way)."""

    def enough(count: int) -> bool:
        if count < words and task.done():
            task.result()
            raise AssertionError(f"the stream ended early: {followed.kinds()}")
        return count >= words

    await eventually(lambda: followed.kinds().count("TEXT_CHUNK"), enough, timeout=20)


def _assert_gap_free_to_completed(followed: Followed, words: int) -> None:
    assert followed.sequences() == list(range(1, len(followed.events) + 1))
    assert followed.kinds()[-1] == "COMPLETED"
    assert followed.kinds().count("TEXT_CHUNK") == words
    assert followed.text() == " ".join(embedded_reply(PROMPT, word_count=words))


async def _assert_finished_cleanly(task_id: str) -> None:
    row = await AiTask.select(AiTask.status).where(AiTask.task_id == task_id).first()
    assert row == {"status": "completed"}
    assert await AiTasksWorkerLease.count().where(AiTasksWorkerLease.task_id == task_id) == 0
    await assert_no_running_task_without_a_lease()


async def test_kill_9_of_the_generating_process_the_other_takes_over_gap_free(
    redis_url: str, servers: list[Server], tmp_path: Path
) -> None:
    # given process A generating a slow reply (60 words at 6 words/s), process B with a
    # worker of its own, and a client following the task on B
    words = 60
    settings = _worker_settings(words=words, words_per_second=6)
    servers.append(await serve(tmp_path / "a.log", BROADCAST_URL=redis_url, **settings))
    user = await make_user()
    task_id = await _generate(servers[0].base, user)
    servers.append(await serve(tmp_path / "b.log", BROADCAST_URL=redis_url, **settings))
    followed = Followed()
    follower = asyncio.create_task(_follow(servers[1].base, user.access_token, task_id, followed))
    await _wait_for_text(followed, follower, 10)
    # when A is killed mid-stream (no shutdown, no hand-back)
    servers[0].process.send_signal(signal.SIGKILL)
    killed = time.monotonic()
    await servers[0].process.wait()
    # then B's worker takes the task over once A's lease expired, and the client's one
    # stream goes on without a gap to COMPLETED, the text an uninterrupted run's
    async with asyncio.timeout(45):
        await follower
    _assert_gap_free_to_completed(followed, words)
    assert followed.kinds().count("RESUMED") == 1
    takeover = followed.arrival_of("RESUMED") - killed
    defaults = get_settings()
    print(f"takeover {takeover:.2f} s after kill -9")
    assert takeover < defaults.generation_lease_seconds + defaults.generation_sweep_seconds + 1
    assert followed.interruptions == []
    await _assert_finished_cleanly(task_id)


async def test_sigterm_of_the_generating_process_hands_the_task_over_at_once(
    redis_url: str, servers: list[Server], tmp_path: Path
) -> None:
    # given process A generating a slow reply, B with a worker, a client following on B
    words = 40
    settings = _worker_settings(words=words, words_per_second=8)
    servers.append(await serve(tmp_path / "a.log", BROADCAST_URL=redis_url, **settings))
    user = await make_user()
    task_id = await _generate(servers[0].base, user)
    servers.append(await serve(tmp_path / "b.log", BROADCAST_URL=redis_url, **settings))
    followed = Followed()
    follower = asyncio.create_task(_follow(servers[1].base, user.access_token, task_id, followed))
    await _wait_for_text(followed, follower, 8)
    # when A shuts down gracefully
    servers[0].process.send_signal(signal.SIGTERM)
    terminated = time.monotonic()
    async with asyncio.timeout(15):
        await servers[0].process.wait()
    # then B continues the task at once (not after the lease) and it completes gap-free
    async with asyncio.timeout(30):
        await follower
    _assert_gap_free_to_completed(followed, words)
    assert followed.kinds().count("RESUMED") == 1
    handover = followed.arrival_of("RESUMED") - terminated
    print(f"takeover {handover:.2f} s after SIGTERM")
    assert handover < 3
    assert followed.interruptions == []
    await _assert_finished_cleanly(task_id)


async def _terminate_connections(times: int, interval: float) -> list[int]:
    """`pg_terminate_backend` of every other connection to the test database, `times`
    times `interval` apart, through an admin connection of its own; how many each ended."""
    admin = await asyncpg.connect(get_settings().database_url)
    ended: list[int] = []
    try:
        for number in range(times):
            if number:
                await asyncio.sleep(interval)  # the fault's pace, not a synchronisation
            rows = await admin.fetch(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            ended.append(len(rows))
    finally:
        await admin.close()
    return ended


@dataclass
class Load:
    statuses: list[tuple[int, str]] = field(default_factory=list)
    stop: asyncio.Event = field(default_factory=asyncio.Event)


async def _send_requests(bases: list[str], token: str, task_id: str, load: Load) -> None:
    query = {
        "query": "query($t: ID!) { aiTask(taskId: $t) { status text } viewer { username } }",
        "variables": {"t": task_id},
    }
    async with httpx.AsyncClient(timeout=30) as client:
        number = 0
        while not load.stop.is_set():
            number += 1
            try:
                response = await client.post(
                    f"{bases[number % len(bases)]}/graphql",
                    json=query,
                    headers={"Authorization": f"Bearer {token}"},
                )
            except httpx.TransportError as error:
                load.statuses.append((0, type(error).__name__))
                continue
            load.statuses.append(
                (response.status_code, response.headers.get("content-type", "").split(";")[0])
            )


async def test_twelve_connection_terminations_under_a_streaming_task_and_load(
    redis_url: str, servers: list[Server], tmp_path: Path
) -> None:
    # given a task streaming on A (150 words at 6 words/s: longer than the faults), clients
    # following it on A and on B, and 4 clients sending requests to both
    words = 150
    settings = _worker_settings(words=words, words_per_second=6)
    servers.append(await serve(tmp_path / "a.log", BROADCAST_URL=redis_url, **settings))
    servers.append(await serve(tmp_path / "b.log", BROADCAST_URL=redis_url, **settings))
    user = await make_user()
    task_id = await _generate(servers[0].base, user)
    followers = [Followed(), Followed()]
    following = [
        asyncio.create_task(_follow(server.base, user.access_token, task_id, followed))
        for server, followed in zip(servers, followers, strict=True)
    ]
    for followed, task in zip(followers, following, strict=True):
        await _wait_for_text(followed, task, 3)
    load = Load()
    clients = [
        asyncio.create_task(
            _send_requests([server.base for server in servers], user.access_token, task_id, load)
        )
        for _ in range(4)
    ]
    # when every database connection is terminated 12 times, 1.5 s apart
    ended = await _terminate_connections(12, 1.5)
    load.stop.set()
    await asyncio.gather(*clients)
    # then the task completes and each follower's stream is gap-free to COMPLETED
    async with asyncio.timeout(45):
        await asyncio.gather(*following)
    for followed in followers:
        _assert_gap_free_to_completed(followed, words)
        assert followed.kinds().count("RESUMED") <= 1
    # and no response was a bare 500 (text/plain, no GraphQL error)
    bare = [status for status in load.statuses if status == (500, "text/plain")]
    counts: dict[tuple[int, str], int] = {}
    for status in load.statuses:
        counts[status] = counts.get(status, 0) + 1
    print(f"connections ended per termination: {ended}; responses: {counts}")
    print(f"stream interruptions: {[followed.interruptions for followed in followers]}")
    assert sum(ended) > 12  # the faults did hit the servers' connections
    assert bare == []
    assert {status for status, _ in load.statuses} <= {200, 503}
    with contextlib.suppress(Exception):  # the test's own pooled connections were ended too
        await AiTask.count()
    await _assert_finished_cleanly(task_id)
