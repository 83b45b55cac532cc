"""Two uvicorn processes sharing PostgreSQL and a broadcast backend (Redis, then PostgreSQL):
a chunk appended through one reaches a subscriber on the other, and a logout-all on one
closes the user's sockets on the other within a second.

Runs in the PostgreSQL run of the suite (the processes share its database).
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from httpx_ws import WebSocketDisconnect

from resolvers.ai_tasks import creating, inputs, stage_transitions, transitions
from resolvers.ai_tasks.model import AiTaskKind, AiTaskStageKind
from resolvers.auth.admin import issue_service_token
from resolvers.auth.authenticate import principal_from_token
from settings import get_settings
from tests.factories.auth import make_user
from tests.ws import graphql_socket

ROOT = Path(__file__).resolve().parents[2]
EVENTS = (
    "subscription($t: ID!) { aiTaskEvents(taskId: $t, after: null) { sequence kind deltaText } }"
)
APPEND = "mutation($i: AiTaskChunkAppendInput!) { aiTaskChunkAppend(input: $i) { errors { code } appended } }"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _serve(broadcast_url: str) -> tuple[asyncio.subprocess.Process, str]:
    port = _free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": get_settings().database_url,
        "BROADCAST_URL": broadcast_url,
        "GENERATION_WORKER_ENABLED": "false",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "uvicorn",
        "app:app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        cwd=ROOT,
        env=environment,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    async with httpx.AsyncClient() as probe:
        while True:
            try:
                if (await probe.get(f"{base}/readyz")).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or process.returncode is not None:
                process.kill()
                raise RuntimeError(f"server on {port} did not start")
            await asyncio.sleep(0.1)
    return process, base


@pytest.fixture(params=["redis", "postgres"])
async def two_servers(
    request: pytest.FixtureRequest, engine_name: str, redis_url_or_skip: str
) -> AsyncIterator[tuple[str, str]]:
    if engine_name != "postgres":
        pytest.skip("the processes share the PostgreSQL run's database")
    broadcast_url = redis_url_or_skip if request.param == "redis" else get_settings().database_url
    servers = [await _serve(broadcast_url), await _serve(broadcast_url)]
    try:
        yield servers[0][1], servers[1][1]
    finally:
        for process, _ in servers:
            process.terminate()
        for process, _ in servers:
            try:
                await asyncio.wait_for(process.wait(), timeout=10)
            except TimeoutError:
                process.kill()


@pytest.fixture
async def redis_url_or_skip() -> str:
    import redis.asyncio as aioredis
    from redis.exceptions import RedisError

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    client = aioredis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        await client.execute_command("PING")
    except (RedisError, OSError):
        if os.environ.get("CI") == "true":
            pytest.fail("Redis is unreachable in CI")
        pytest.skip("Redis is unreachable")
    finally:
        await client.aclose()
    return url


async def test_a_chunk_appended_through_one_process_reaches_a_subscriber_on_the_other(
    two_servers: tuple[str, str],
) -> None:
    writer, reader = two_servers
    # given a running task with a running stage
    user = await make_user()
    service = await issue_service_token(name="worker", days=1)
    worker = await principal_from_token(service.token)
    task = await creating.create_task(
        viewer=user.principal,
        kind=AiTaskKind.TEXT_GENERATION,
        request_label="two processes",
        source_module="test",
        stages=[inputs.StageInput(kind=AiTaskStageKind.REQUEST_MODEL, label="write")],
    )
    await transitions.start_task(viewer=worker, task_id=task.task_id)
    await stage_transitions.start_stage(
        viewer=worker, task_id=task.task_id, stage_kind=AiTaskStageKind.REQUEST_MODEL
    )
    async with httpx.AsyncClient() as client:
        # and a subscriber on the reader process
        async with graphql_socket(client, user.access_token, url=f"{reader}/graphql") as subscriber:
            await subscriber.subscribe(EVENTS, {"t": task.task_id})
            # when chunks are appended through the writer process (until one arrives: the
            # protocol never says when the reader's subscription is live)
            received: list[str] = []
            async with asyncio.timeout(10):
                number = 0
                while not received:
                    number += 1
                    appended = await client.post(
                        f"{writer}/graphql",
                        json={
                            "query": APPEND,
                            "variables": {
                                "i": {
                                    "taskId": task.task_id,
                                    "stageKind": "REQUEST_MODEL",
                                    "chunkId": f"c{number}",
                                    "deltaText": f"word{number} ",
                                }
                            },
                        },
                        headers={"Authorization": f"Bearer {service.token}"},
                    )
                    assert appended.json()["data"]["aiTaskChunkAppend"]["errors"] == []
                    try:
                        message = await subscriber.receive(timeout=0.5)
                    except TimeoutError:
                        continue
                    assert message["type"] == "next", message
                    received.append(message["payload"]["data"]["aiTaskEvents"]["deltaText"])
    # then the reader delivered a chunk the writer appended
    assert received[0].startswith("word")


async def test_logout_all_on_one_process_closes_sockets_on_the_other_within_a_second(
    two_servers: tuple[str, str],
) -> None:
    first, second = two_servers
    user = await make_user()
    async with httpx.AsyncClient() as client:
        async with graphql_socket(client, user.access_token, url=f"{second}/graphql") as subscriber:
            response = await client.post(
                f"{first}/graphql",
                json={"query": "mutation { authLogoutAll { endedSessionCount } }"},
                headers={"Authorization": f"Bearer {user.access_token}"},
            )
            assert response.json()["data"]["authLogoutAll"]["endedSessionCount"] == 1
            started = time.monotonic()
            with pytest.raises(WebSocketDisconnect) as closed:
                async with asyncio.timeout(1):
                    while True:
                        await subscriber.session.receive_text()
            assert closed.value.code == 4401
            assert time.monotonic() - started < 1
