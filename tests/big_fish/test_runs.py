"""Big-fish runs through the real ASGI app: pausing when nobody watches and resuming from
the saved world; refusals (bad directions, another user's run, too many inputs, a run
that is over) that write nothing."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from db.tables.big_fish import BigFishCreationSession, BigFishRuntimeRun
from resolvers.big_fish import runs
from resolvers.big_fish.errors import BigFishRateLimited
from resolvers.big_fish.live import LIVE_RUNS
from resolvers.big_fish.plugin import BIG_FISH
from resolvers.big_fish.run_rows import BigFishRunRow
from resolvers.big_fish.ticks import ManualTicks
from resolvers.gallery.play_types import PlayType
from settings import get_settings
from tests.big_fish.graph import FRAMES, RUN_INPUT, RUN_START, data, next_frame
from tests.factories.auth import TestUser, make_user
from tests.factories.gallery import read_model
from tests.factories.play_types import ready_work
from tests.factories.runs import RUN_ABANDON, every_table
from tests.fixtures import FakeClock, GraphQLClient
from tests.ws import graphql_socket


async def _run(gql: GraphQLClient, player: TestUser) -> str:
    author = await make_user()
    started = await ready_work(BIG_FISH, gql, author)
    await BIG_FISH.publish(viewer=author.principal, work_id=started.work_id)
    run = data(
        await gql.execute(RUN_START, {"w": started.work_id}, token=player.access_token),
        "bigFishRunStart",
    )
    return str(run["run"]["runId"])


async def _rows() -> list[dict[str, Any]]:
    return await (
        BigFishRuntimeRun.select().order_by(BigFishRuntimeRun.run_id).output(load_json=True)
    )


async def _unwatched(run_id: str) -> None:
    """The server has dropped the closed socket's subscriber (no confirmation exists)."""
    async with asyncio.timeout(5):
        while (live := LIVE_RUNS.runs.get(run_id)) is not None and live.subscribers:
            await asyncio.sleep(0.005)


async def test_an_unwatched_run_pauses_and_resumes_from_its_saved_world(
    client: httpx.AsyncClient, gql: GraphQLClient, ticks: dict[str, ManualTicks]
) -> None:
    # given bob's run watched for 3 ticks while swimming right, then his socket closes
    bob = await make_user()
    run_id = await _run(gql, bob)
    async with graphql_socket(client, bob.access_token) as ws:
        await ws.subscribe(FRAMES, {"r": run_id})
        await next_frame(ws)
        data(
            await gql.execute(RUN_INPUT, {"r": run_id, "x": 0.0, "y": 0.0}, token=bob.access_token),
            "bigFishRunInput",
        )
        first_ticks = ticks[run_id]
        await first_ticks.advance(3)
        watched = [await next_frame(ws) for _ in range(3)]
    await _unwatched(run_id)
    # when 50 ticks (5 s) pass with nobody watching
    await first_ticks.advance(50)
    paused = (await _rows())[0]
    # then the run is PAUSED at tick 53, saved, its lease released, its clock stopped
    assert [frame["tick"] for frame in watched] == [1, 2, 3]
    assert (paused["status"], paused["tick"], paused["lease_owner"]) == ("paused", 53, None)
    assert run_id not in LIVE_RUNS.runs
    # when bob watches again
    async with graphql_socket(client, bob.access_token) as ws:
        await ws.subscribe(FRAMES, {"r": run_id})
        resumed = await next_frame(ws)
        await ticks[run_id].advance(1)
        after = await next_frame(ws)
    # then it resumes from the saved world, RUNNING again
    assert (resumed["tick"], resumed["status"]) == (53, "RUNNING")
    assert resumed["fish"] == [
        {key: fish[key] for key in ("id", "level", "x", "y")}
        for fish in paused["snapshot_json"]["fish"]
    ]
    assert after["tick"] == 54


@pytest.mark.parametrize(("x", "y"), [(2.0, 0.0), (0.8, 0.8), (0.0, -1.5)])
async def test_a_direction_outside_the_unit_disc_is_refused_and_writes_nothing(
    gql: GraphQLClient, x: float, y: float
) -> None:
    # given bob's run
    bob = await make_user()
    run_id = await _run(gql, bob)
    before = await every_table()
    # when he steers outside x² + y² ≤ 1
    result = await gql.execute(RUN_INPUT, {"r": run_id, "x": x, "y": y}, token=bob.access_token)
    # then BAD_USER_INPUT, and nothing changed
    assert result["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert await every_table() == before


async def test_a_number_that_is_not_finite_is_refused(gql: GraphQLClient) -> None:
    # given bob's run
    bob = await make_user()
    run_id = await _run(gql, bob)
    before = await every_table()
    # when the direction is written as an infinite number
    query = RUN_INPUT.replace("$x: Float!, ", "").replace("x: $x", "x: 1e400")
    result = await gql.execute(query, {"r": run_id, "y": 0.0}, token=bob.access_token)
    # then the request is refused, and nothing changed
    assert "errors" in result
    assert await every_table() == before


async def test_another_users_run_is_not_found_for_inputs_frames_and_reads(
    client: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    # given bob's run, and alice
    bob, alice = await make_user(), await make_user()
    run_id = await _run(gql, bob)
    before = await every_table()
    # when alice steers it, reads it, abandons it and watches it
    steered = await gql.execute(
        RUN_INPUT, {"r": run_id, "x": 1.0, "y": 0.0}, token=alice.access_token
    )
    abandoned = await gql.execute(RUN_ABANDON, {"id": run_id}, token=alice.access_token)
    read = await gql.execute(
        "query($r: ID!) { bigFishRun(runId: $r) { status } }",
        {"r": run_id},
        token=alice.access_token,
    )
    async with graphql_socket(client, alice.access_token) as ws:
        await ws.subscribe(FRAMES, {"r": run_id})
        (watched,) = await ws.next_payloads(1)
    # then each is NOT_FOUND, nothing changed and nobody ticks the run
    for result in (steered, read, abandoned, watched):
        assert result["errors"][0]["extensions"]["code"] == "NOT_FOUND", result
    assert await every_table() == before
    assert run_id not in LIVE_RUNS.runs


async def test_the_31st_input_within_a_second_is_rate_limited(
    gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch, clock: FakeClock
) -> None:
    # given bob's run and the real limit of 30 inputs a second, the clock within one second
    monkeypatch.setenv("BIG_FISH_INPUTS_PER_SECOND", "30")
    get_settings.cache_clear()
    bob = await make_user()
    run_id = await _run(gql, bob)
    # when he sends 31
    results = [
        await gql.execute(RUN_INPUT, {"r": run_id, "x": 0.0, "y": 0.5}, token=bob.access_token)
        for _ in range(31)
    ]
    row = (await _rows())[0]
    # then 30 are taken and the 31st is RATE_LIMITED (the stored direction is the 30th)
    assert ["errors" in result for result in results] == [False] * 30 + [True]
    assert results[-1]["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert (row["last_input_x"], row["last_input_y"], row["input_count"]) == (0.0, 0.5, 30)
    # when the next second comes, then he steers again (the count starts over)
    clock.advance(seconds=1)
    again = await gql.execute(RUN_INPUT, {"r": run_id, "x": 1.0, "y": 0.0}, token=bob.access_token)
    assert again["data"]["bigFishRunInput"]["errors"] == []
    assert (await _rows())[0]["input_count"] == 1


async def test_31_concurrent_inputs_in_one_second_take_exactly_30(
    gql: GraphQLClient, monkeypatch: pytest.MonkeyPatch, clock: FakeClock
) -> None:
    # given bob's run, the limit of 30 a second, the clock within one second
    monkeypatch.setenv("BIG_FISH_INPUTS_PER_SECOND", "30")
    get_settings.cache_clear()
    bob = await make_user()
    run_id = await _run(gql, bob)
    # when 31 inputs arrive at once (the count is the row's: any process would agree)
    results = await asyncio.gather(
        *(runs.submit_input(viewer=bob.principal, run_id=run_id, x=0.0, y=-1.0) for _ in range(31)),
        return_exceptions=True,
    )
    after = await _rows()
    # then exactly 30 were taken and one was RATE_LIMITED
    assert sum(isinstance(result, BigFishRunRow) for result in results) == 30
    refused = [result for result in results if isinstance(result, Exception)]
    assert [type(error) for error in refused] == [BigFishRateLimited]
    assert after[0]["input_count"] == 30
    # when one more comes in that second, then it is refused and writes nothing
    with pytest.raises(BigFishRateLimited):
        await runs.submit_input(viewer=bob.principal, run_id=run_id, x=1.0, y=0.0)
    assert await _rows() == after


async def test_an_anonymous_caller_can_neither_start_steer_nor_watch_a_run(
    client: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    # given bob's run
    bob = await make_user()
    run_id = await _run(gql, bob)
    work_id = (await _rows())[0]["session_id"]
    before = await every_table()
    # when a caller without a token starts, steers and watches
    started = await gql.execute(RUN_START, {"w": work_id})
    steered = await gql.execute(RUN_INPUT, {"r": run_id, "x": 1.0, "y": 0.0})
    async with graphql_socket(client, None) as ws:
        await ws.subscribe(FRAMES, {"r": run_id})
        (watched,) = await ws.next_payloads(1)
    # then each is refused as unauthenticated, and nothing changed
    for result in (started, steered, watched):
        assert result["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", result
    assert await every_table() == before
    assert run_id not in LIVE_RUNS.runs


async def test_an_input_to_a_finished_run_is_refused(gql: GraphQLClient) -> None:
    # given bob's run, lost
    bob = await make_user()
    run_id = await _run(gql, bob)
    await BigFishRuntimeRun.update({BigFishRuntimeRun.status: "lost"}).where(
        BigFishRuntimeRun.run_id == run_id
    )
    before = await every_table()
    # when he steers it
    result = await gql.execute(RUN_INPUT, {"r": run_id, "x": 1.0, "y": 0.0}, token=bob.access_token)
    # then RUN_FINISHED, and nothing changed
    assert result["data"]["bigFishRunInput"]["errors"] == [{"code": "RUN_FINISHED"}]
    assert await every_table() == before


async def test_runs_of_a_published_work_count_gallery_plays_once_per_player_per_window(
    gql: GraphQLClient,
) -> None:
    # given a published big-fish work
    author, bob, eve = await make_user(), await make_user(), await make_user()
    started = await ready_work(BIG_FISH, gql, author)
    await BIG_FISH.publish(viewer=author.principal, work_id=started.work_id)
    # when bob starts two runs and eve one, within ten minutes
    for player in (bob, bob, eve):
        data(
            await gql.execute(RUN_START, {"w": started.work_id}, token=player.access_token),
            "bigFishRunStart",
        )
    # then the gallery counts two plays (bob's second run is in his window), the session
    # three runs
    row = await read_model(started.work_id, PlayType.BIG_FISH)
    assert row is not None and row["play_count"] == 2
    session = await (
        BigFishCreationSession.select(BigFishCreationSession.play_count)
        .where(BigFishCreationSession.session_id == started.work_id)
        .first()
    )
    assert session == {"play_count": 3}
