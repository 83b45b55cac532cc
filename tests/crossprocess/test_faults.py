"""Faults across processes, on PostgreSQL with a Redis of the test's own
(tests/redis_server.py): a 20 s Redis outage degrades delivery to polling without losing or
repeating an event, and a process whose database connections were terminated still shuts
down within SHUTDOWN_TIMEOUT_SECONDS on SIGTERM."""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from resolvers.ai_tasks import creating, inputs, stage_transitions, transitions
from resolvers.ai_tasks.model import AiTaskKind, AiTaskStageKind
from resolvers.auth.admin import issue_service_token
from resolvers.auth.authenticate import principal_from_token
from settings import get_settings
from tests.factories.auth import TestUser, make_user
from tests.redis_server import RedisServer
from tests.servers import Server, serve
from tests.ws import GraphQLSocket, graphql_socket

EVENTS = "subscription($t: ID!) { aiTaskEvents(taskId: $t, after: 0) { sequence kind } }"
APPEND = (
    "mutation($i: AiTaskChunkAppendInput!) { aiTaskChunkAppend(input: $i) "
    "{ errors { code } appended } }"
)
OUTAGE_SECONDS = 20.0
APPEND_EVERY = 0.1  # seconds between appends: about 200 publishes during the outage
FIRST_EVENTS = 3  # CREATED, STARTED, STAGE_STARTED


async def _streaming_task(user: TestUser) -> tuple[str, str]:
    """A running task with a running stage, and a service token to append to it."""
    service = await issue_service_token(name="fault-test", days=1)
    worker = await principal_from_token(service.token)
    task = await creating.create_task(
        viewer=user.principal,
        kind=AiTaskKind.TEXT_GENERATION,
        request_label="faults",
        source_module="test",
        stages=[inputs.StageInput(kind=AiTaskStageKind.REQUEST_MODEL, label="write")],
    )
    await transitions.start_task(viewer=worker, task_id=task.task_id)
    await stage_transitions.start_stage(
        viewer=worker, task_id=task.task_id, stage_kind=AiTaskStageKind.REQUEST_MODEL
    )
    return task.task_id, service.token


class Appender:
    """Appends numbered chunks through one process, remembering when each was written."""

    def __init__(self, client: httpx.AsyncClient, server: Server, task_id: str, token: str):
        self.client, self.server, self.task_id, self.token = client, server, task_id, token
        self.written_at: dict[int, float] = {}  # stream sequence → when its append returned

    async def append(self) -> None:
        number = len(self.written_at) + 1
        response = await self.client.post(
            f"{self.server.base}/graphql",
            json={
                "query": APPEND,
                "variables": {
                    "i": {
                        "taskId": self.task_id,
                        "stageKind": "REQUEST_MODEL",
                        "chunkId": f"c{number}",
                        "deltaText": f"w{number} ",
                    }
                },
            },
            headers={"Authorization": f"Bearer {self.token}"},
        )
        assert response.json()["data"]["aiTaskChunkAppend"]["errors"] == [], response.text
        self.written_at[FIRST_EVENTS + number] = time.monotonic()

    @property
    def last(self) -> int:
        return FIRST_EVENTS + len(self.written_at)


class Collector:
    """Reads one subscription's events in the background, with their arrival times."""

    def __init__(self, socket: GraphQLSocket) -> None:
        self.socket = socket
        self.arrived: list[tuple[int, float]] = []
        self.changed = asyncio.Condition()
        self.task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        while True:
            message = await self.socket.receive(timeout=3600)
            assert message["type"] == "next", message
            sequence = message["payload"]["data"]["aiTaskEvents"]["sequence"]
            async with self.changed:
                self.arrived.append((sequence, time.monotonic()))
                self.changed.notify_all()

    async def until(self, sequence: int, timeout: float) -> None:
        async with asyncio.timeout(timeout), self.changed:
            await self.changed.wait_for(
                lambda: self.task.done() or (self.arrived and self.arrived[-1][0] >= sequence)
            )
        if self.task.done():
            self.task.result()

    @property
    def sequences(self) -> list[int]:
        return [sequence for sequence, _ in self.arrived]


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10) as client:
        yield client


async def test_a_redis_outage_of_20_s_degrades_to_polling_and_loses_nothing(
    postgres_only: None, own_redis: RedisServer, tmp_path: Path, http: httpx.AsyncClient
) -> None:
    # given a writing process A and a reading process B on the test's own Redis
    writer = await serve(tmp_path / "a.log", BROADCAST_URL=own_redis.url)
    reader = await serve(tmp_path / "b.log", BROADCAST_URL=own_redis.url)
    try:
        user = await make_user()
        task_id, token = await _streaming_task(user)
        appender = Appender(http, writer, task_id, token)
        url = f"{reader.base}/graphql"
        async with graphql_socket(http, user.access_token, url=url) as socket:
            # and a subscriber on B that has its history and five live chunks
            await socket.subscribe(EVENTS, {"t": task_id})
            first = Collector(socket)
            await first.until(FIRST_EVENTS, timeout=5)
            for _ in range(5):
                await appender.append()
            await first.until(appender.last, timeout=5)
            # when Redis dies for 20 s while chunks keep coming through A
            await own_redis.kill()
            outage_started = time.monotonic()
            delays: list[float] = []
            replayed_in = None
            replayed = 0
            second: Collector | None = None
            async with graphql_socket(http, user.access_token, url=url) as late:
                while time.monotonic() - outage_started < OUTAGE_SECONDS:
                    await appender.append()
                    if replayed_in is None and time.monotonic() - outage_started > 5:
                        # a subscription opened on B during the outage replays at once
                        expected = appender.last
                        opened = time.monotonic()
                        await late.subscribe(EVENTS, {"t": task_id})
                        second = Collector(late)
                        await second.until(expected, timeout=5)
                        replayed_in = time.monotonic() - opened
                        replayed = expected
                    await asyncio.sleep(APPEND_EVERY)
                # then B's first subscriber got every chunk meanwhile, by polling the log
                during_outage = appender.last
                await first.until(during_outage, timeout=5)
                arrival = dict(first.arrived)
                delays = [
                    arrival[sequence] - written
                    for sequence, written in appender.written_at.items()
                    if sequence > FIRST_EVENTS + 5
                ]
                # when Redis is back, live delivery goes on
                await own_redis.start()
                for _ in range(10):
                    await appender.append()
                    await asyncio.sleep(APPEND_EVERY)
                await first.until(appender.last, timeout=10)
                assert second is not None
                await second.until(appender.last, timeout=10)
                first.task.cancel()
                second.task.cancel()
    finally:
        await writer.terminate()
        await reader.terminate()
    # then both subscribers got every sequence once and in order
    everything = list(range(1, appender.last + 1))
    assert first.sequences == everything
    assert second.sequences == everything
    assert during_outage - FIRST_EVENTS - 5 >= 100  # chunks appended during the outage
    # within about one poll period (1 s) each, and the late subscriber's replay at once
    assert max(delays) < 2.0, (max(delays), sum(delays) / len(delays))
    assert replayed_in is not None and replayed_in < 1.0
    # and A logged a handful of lines for about 200 failed publishes, no traceback
    log = writer.log_text()
    assert "Traceback" not in log, log
    assert len([line for line in log.splitlines() if "bus" in line]) <= 5, log
    assert (log.count("publishing on the bus failed"), log.count("works again")) == (1, 1), log
    print(  # the numbers for docs/realtime.md (pytest -s)
        f"outage delivery delay: mean {sum(delays) / len(delays):.3f} s, max {max(delays):.3f} s "
        f"over {len(delays)} chunks; replay of {replayed} events during the outage "
        f"{replayed_in:.3f} s"
    )


async def _terminate_backends(url: str) -> int:
    connection = await asyncpg.connect(url)
    try:
        rows: list[Any] = await connection.fetch(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return len(rows)
    finally:
        await connection.close()


async def test_sigterm_after_connection_terminations_exits_within_the_timeout(
    postgres_only: None, tmp_path: Path, http: httpx.AsyncClient
) -> None:
    # given a process serving requests whose connections are terminated three times
    server = await serve(tmp_path / "server.log", SHUTDOWN_TIMEOUT_SECONDS="10")
    try:
        user = await make_user()
        headers = {"Authorization": f"Bearer {user.access_token}"}
        query = {"query": "{ viewer { username } }"}
        statuses = []
        for _ in range(3):
            await _terminate_backends(get_settings().database_url)
            for _ in range(5):
                response = await http.post(f"{server.base}/graphql", json=query, headers=headers)
                statuses.append(response.status_code)
        async with graphql_socket(http, user.access_token, url=f"{server.base}/graphql"):
            # when it gets SIGTERM (with a socket open and the pool just broken again)
            await _terminate_backends(get_settings().database_url)
            took = await server.terminate()
    finally:
        await server.terminate()
    # then it exited, cleanly, within SHUTDOWN_TIMEOUT_SECONDS
    assert set(statuses) <= {200, 503}
    assert took < 10, server.log_text()
    # (uvicorn re-raises the SIGTERM it handled once its graceful shutdown is over)
    assert server.process.returncode in (0, -signal.SIGTERM), server.log_text()
    print(f"shutdown after terminations took {took:.2f} s")
