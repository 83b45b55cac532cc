"""Two uvicorn processes sharing PostgreSQL and Redis: a run ticked by the process that
serves its frames, steered through the other (the input crosses the bus), paused when its
watcher disconnects (its framework row PAUSED, its clock stopped), and resumed from its
saved world on the other process (the framework row RUNNING, the pause counted as paused).

Runs in the PostgreSQL run of the suite (the processes share its database).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from db.tables.big_fish import BigFishRuntimeRun
from db.tables.runs import RunsRun
from resolvers.big_fish import runs
from resolvers.big_fish.plugin import BIG_FISH
from tests.big_fish.graph import FRAMES, RUN_INPUT
from tests.factories.auth import make_user
from tests.factories.play_types import ready_work
from tests.fixtures import GraphQLClient
from tests.servers import Server, serve
from tests.ws import GraphQLSocket, graphql_socket


async def _redis_url() -> str:
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


@pytest.fixture
async def two_servers(engine_name: str, tmp_path: Path) -> AsyncIterator[tuple[Server, Server]]:
    if engine_name != "postgres":
        pytest.skip("the processes share the PostgreSQL run's database")
    settings = {
        "BROADCAST_URL": await _redis_url(),
        "BIG_FISH_PAUSE_SECONDS": "2",
        "BIG_FISH_INPUTS_PER_SECOND": "30",
    }
    servers = (
        await serve(tmp_path / "a.log", **settings),
        await serve(tmp_path / "b.log", **settings),
    )
    try:
        yield servers
    finally:
        for server in servers:
            await server.terminate()


async def _row(run_id: str) -> dict[str, Any]:
    row = await BigFishRuntimeRun.select().where(BigFishRuntimeRun.run_id == run_id).first()
    assert row is not None
    return row


async def _framework_row(run_id: str) -> dict[str, Any]:
    row = await RunsRun.select().where(RunsRun.run_id == run_id).first()
    assert row is not None
    return row


async def _frame(ws: GraphQLSocket) -> dict[str, Any]:
    (payload,) = await ws.next_payloads(1)
    assert "errors" not in payload, payload
    frame: dict[str, Any] = payload["data"]["bigFishRunFrames"]
    return frame


async def test_a_run_steered_across_processes_pauses_and_resumes_on_the_other(
    two_servers: tuple[Server, Server], gql: GraphQLClient
) -> None:
    first, second = two_servers
    # given bob's run of a published work with only shrimp (he cannot lose)
    author, bob = await make_user(), await make_user()
    started = await ready_work(BIG_FISH, gql, author)
    draft = BIG_FISH.example_draft()
    draft["levels"][1]["count"] = draft["levels"][2]["count"] = 0
    draft["winSize"] = 4.0
    await BIG_FISH.autosave(
        viewer=author.principal, session_id=started.session_id, seed_text=None, draft=draft
    )
    await BIG_FISH.publish(viewer=author.principal, work_id=started.work_id)
    run_id = (await runs.start_run(viewer=bob.principal, work_id=started.work_id)).run_id
    async with httpx.AsyncClient(timeout=10) as client:
        # when bob watches it on the first process and steers right through the second
        async with graphql_socket(client, bob.access_token, url=f"{first.base}/graphql") as ws:
            await ws.subscribe(FRAMES, {"r": run_id})
            opening = await _frame(ws)
            steered = await client.post(
                f"{second.base}/graphql",
                json={"query": RUN_INPUT, "variables": {"r": run_id, "x": 1.0, "y": 0.0}},
                headers={"Authorization": f"Bearer {bob.access_token}"},
            )
            assert steered.json()["data"]["bigFishRunInput"]["errors"] == []
            async with asyncio.timeout(10):
                while (frame := await _frame(ws))["player"]["x"] < 1.0:
                    pass
            ticking = await _row(run_id)
        # then the first process ticked it under its lease, moving the fish right
        assert opening["player"]["x"] == 0.0 and frame["player"]["x"] >= 1.0
        assert ticking["lease_owner"] is not None and ticking["status"] == "running"
        # when nobody watches for 2 s (BIG_FISH_PAUSE_SECONDS), it pauses
        async with asyncio.timeout(15):
            while (paused := await _row(run_id))["status"] != "paused":
                await asyncio.sleep(0.1)
        assert paused["lease_owner"] is None
        # and its framework row is PAUSED too (its clock stopped, it cannot expire)
        framework = await _framework_row(run_id)
        assert (framework["status"], framework["paused_ms"]) == ("paused", 0)
        assert framework["paused_at"] is not None
        # and when he watches on the second process
        async with graphql_socket(client, bob.access_token, url=f"{second.base}/graphql") as ws:
            await ws.subscribe(FRAMES, {"r": run_id})
            resumed, following = await _frame(ws), await _frame(ws)
            taken = await _row(run_id)
            running = await _framework_row(run_id)
    # then the second process resumes it from the saved world under its own lease
    assert (resumed["tick"], resumed["status"]) == (paused["tick"], "RUNNING")
    assert following["tick"] == paused["tick"] + 1
    assert taken["lease_owner"] not in (None, ticking["lease_owner"])
    # and the framework's clock runs again, the pause counted as paused time
    assert (running["status"], running["paused_at"]) == ("running", None)
    assert running["paused_ms"] > 0


async def test_31_inputs_in_one_second_across_two_processes_take_exactly_30(
    two_servers: tuple[Server, Server], gql: GraphQLClient
) -> None:
    # given bob's run
    author, bob = await make_user(), await make_user()
    started = await ready_work(BIG_FISH, gql, author)
    await BIG_FISH.publish(viewer=author.principal, work_id=started.work_id)
    run_id = (await runs.start_run(viewer=bob.principal, work_id=started.work_id)).run_id
    headers = {"Authorization": f"Bearer {bob.access_token}"}
    async with httpx.AsyncClient(timeout=10) as client:

        async def steer(server: Server) -> str | None:
            body = {"query": RUN_INPUT, "variables": {"r": run_id, "x": 0.0, "y": 1.0}}
            answer = (
                await client.post(f"{server.base}/graphql", json=body, headers=headers)
            ).json()
            if "errors" in answer:
                code: str = answer["errors"][0]["extensions"]["code"]
                return code
            assert answer["data"]["bigFishRunInput"]["errors"] == []
            return None

        # when 31 inputs arrive at once, split between the two processes, within one second
        # of the clock (a burst that straddles a second boundary is sent again in the next)
        for _ in range(5):
            await asyncio.sleep(1.0 - time.time() % 1.0)  # the start of a second
            second = int(time.time())
            results = await asyncio.gather(*(steer(two_servers[n % 2]) for n in range(31)))
            if int(time.time()) == second:
                break
        else:
            pytest.fail("no burst of 31 inputs fitted in one second")
    row = await _row(run_id)
    # then exactly 30 were taken and one was RATE_LIMITED, whichever process took them
    assert sorted(results, key=str) == [None] * 30 + ["RATE_LIMITED"]
    assert (row["input_second"], row["input_count"]) == (second, 30)
