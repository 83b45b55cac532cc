"""Big-fish runs are runs of the run framework: `runStart(playType: BIG_FISH)` and
`bigFishRunStart` give one run with its `runs_run` row; it is in `viewer.runs`, counts
against RUN_LIMIT (paused runs too, concurrent starts never pass it), counts a PLAY run's
play, played work and play time exactly as framework runs do and a TEST run's nothing;
its end (won, lost, abandoned) goes through the framework's finishing; a pause stops its
clock (no expiry, paused time excluded from the elapsed time)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from strawberry import relay

from db.tables.big_fish import BigFishCreationSession, BigFishRuntimeRun
from db.tables.runs import RunsPlayRecord, RunsRun
from db.transactions import write_transaction
from resolvers.big_fish import runs, simulation
from resolvers.big_fish.errors import BigFishError, BigFishErrorCode
from resolvers.big_fish.live import LIVE_RUNS
from resolvers.big_fish.plugin import BIG_FISH
from resolvers.big_fish.run_rows import BigFishRunRow
from resolvers.big_fish.ticks import ManualTicks
from resolvers.runs import server_clock
from resolvers.runs.model import NO_DEADLINE
from resolvers.runs.sweeps import sweep_expired
from settings import get_settings
from tests.big_fish.graph import FRAMES, RUN_START, data, next_frame, play
from tests.factories.auth import TestUser, make_user
from tests.factories.play_types import ready_work
from tests.factories.runs import PLAYED_WORKS, RUN_ABANDON, VIEWER_RUNS, events_of, every_table
from tests.factories.runs import RUN_START as FRAMEWORK_RUN_START
from tests.fixtures import FakeClock, GraphQLClient
from tests.ws import graphql_socket

TICKED = (
    "query($id: ID!) { node(id: $id) { __typename ... on BigFishTickedRun { runId status "
    "mode reason elapsedMs durationLimitMs deadlineAt tick snapshot { tick status } } } }"
)


@pytest.fixture(autouse=True)
def tokens_outlive_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    """Access tokens live a day: the clock passes an hour of pause and the player goes on."""
    monkeypatch.setenv("ACCESS_TOKEN_TTL_SECONDS", str(24 * 3600))
    get_settings.cache_clear()


async def _work(gql: GraphQLClient, author: TestUser, *, publish: bool = True) -> str:
    started = await ready_work(BIG_FISH, gql, author)
    if publish:
        await BIG_FISH.publish(viewer=author.principal, work_id=started.work_id)
    return started.work_id


async def _framework_row(run_id: str) -> dict[str, Any]:
    row = await RunsRun.select().where(RunsRun.run_id == run_id).first()
    assert row is not None
    return row


async def _played(gql: GraphQLClient, player: TestUser) -> dict[str, Any]:
    result = await gql.execute(PLAYED_WORKS, {"first": 10}, token=player.access_token)
    assert "errors" not in result, result
    viewer: dict[str, Any] = result["data"]["viewer"]
    return viewer


async def _unwatched(run_id: str) -> None:
    async with asyncio.timeout(5):
        while (live := LIVE_RUNS.runs.get(run_id)) is not None and live.subscribers:
            await asyncio.sleep(0.005)


async def test_run_start_of_big_fish_is_a_framework_run_in_viewer_runs(
    gql: GraphQLClient, clock: FakeClock
) -> None:
    # given a published big-fish work
    author, bob = await make_user(), await make_user()
    work_id = await _work(gql, author)
    # when bob starts a run through the framework's runStart
    result = await gql.execute(
        FRAMEWORK_RUN_START,
        {"input": {"playType": "BIG_FISH", "workId": work_id, "mode": "PLAY"}},
        token=bob.access_token,
    )
    run = data(result, "runStart")["run"]
    listed = await gql.execute(VIEWER_RUNS, {"first": 10}, token=bob.access_token)
    node = await gql.execute(TICKED, {"id": run["id"]}, token=bob.access_token)
    # then it is a RUNNING PLAY run without a time limit, with its big-fish state, listed
    assert (run["playType"], run["mode"], run["status"]) == ("BIG_FISH", "PLAY", "RUNNING")
    assert (run["durationLimitMs"], run["deadlineAt"]) == (0, NO_DEADLINE.isoformat())
    assert node["data"]["node"] == {
        "__typename": "BigFishTickedRun",
        "runId": run["runId"],
        "status": "RUNNING",
        "mode": "PLAY",
        "reason": None,
        "elapsedMs": 0,
        "durationLimitMs": 0,
        "deadlineAt": NO_DEADLINE.isoformat(),
        "tick": 0,
        "snapshot": {"tick": 0, "status": "RUNNING"},
    }
    edges = listed["data"]["viewer"]["runs"]["edges"]
    assert [(edge["node"]["runId"], edge["node"]["work"]) for edge in edges] == [
        (run["runId"], {"workId": work_id, "title": "Reef Climb"})
    ]
    # and its runtime row carries the same id; the play counted once, the session's runs once
    assert await BigFishRuntimeRun.count().where(BigFishRuntimeRun.run_id == run["runId"]) == 1
    assert await RunsPlayRecord.count() == 1
    session = await BigFishCreationSession.select(BigFishCreationSession.play_count).first()
    assert session == {"play_count": 1}


async def test_a_won_and_a_lost_play_run_finish_through_the_framework(
    client: httpx.AsyncClient,
    gql: GraphQLClient,
    ticks: dict[str, ManualTicks],
    clock: FakeClock,
) -> None:
    # given a published work, and bob
    author, bob = await make_user(), await make_user()
    work_id = await _work(gql, author)
    ended: list[dict[str, Any]] = []
    for policy, seconds in ((simulation.hunting, 7), (simulation.reckless, 2)):
        run_id = data(
            await gql.execute(RUN_START, {"w": work_id}, token=bob.access_token),
            "bigFishRunStart",
        )["run"]["runId"]
        # when he plays it to its end, the server's clock `seconds` later
        clock.advance(seconds=seconds)
        async with graphql_socket(client, bob.access_token) as ws:
            await ws.subscribe(FRAMES, {"r": run_id})
            await play(gql, ws, bob.access_token, run_id, ticks, policy)
        ended.append(await _framework_row(run_id))
        # then the framework recorded its end: one FINISHED event with the elapsed time
        kinds = [(event["kind"], event["payload"]) for event in await events_of(run_id)]
        assert kinds == [
            ("started", {"seed": 1}),
            ("finished", {"elapsedMs": seconds * 1000}),
        ]
    won, lost = ended
    # then the runs are WON (COMPLETED) and LOST (EATEN), each one snapshot version on
    assert (won["status"], won["reason"], won["elapsed_ms"], won["snapshot_version"]) == (
        "won",
        "COMPLETED",
        7000,
        1,
    )
    assert (lost["status"], lost["reason"], lost["elapsed_ms"]) == ("lost", "EATEN", 2000)
    # and bob's play time is both runs', his played work the last one's
    viewer = await _played(gql, bob)
    assert viewer["totalPlayTimeMs"] == 9000
    nodes = [edge["node"] for edge in viewer["playedWorks"]["edges"]]
    assert [(node["workId"], node["lastObservedPlayTimeMs"]) for node in nodes] == [(work_id, 2000)]


async def test_a_test_run_of_your_own_draft_counts_nothing(
    client: httpx.AsyncClient,
    gql: GraphQLClient,
    ticks: dict[str, ManualTicks],
    clock: FakeClock,
) -> None:
    # given alice's unpublished draft
    alice = await make_user()
    work_id = await _work(gql, alice, publish=False)
    # when she plays it to a win
    run = data(
        await gql.execute(RUN_START, {"w": work_id}, token=alice.access_token), "bigFishRunStart"
    )["run"]
    clock.advance(seconds=5)
    async with graphql_socket(client, alice.access_token) as ws:
        await ws.subscribe(FRAMES, {"r": run["runId"]})
        frames = await play(gql, ws, alice.access_token, run["runId"], ticks, simulation.hunting)
    row = await _framework_row(run["runId"])
    # then it was a TEST run, won, that counted no play, played work or play time
    assert frames[-1]["status"] == "WON"
    assert (row["mode"], row["status"], row["elapsed_ms"]) == ("test", "won", 5000)
    assert await RunsPlayRecord.count() == 0
    viewer = await _played(gql, alice)
    assert (viewer["totalPlayTimeMs"], viewer["playedWorks"]["edges"]) == (0, [])
    session = await BigFishCreationSession.select(BigFishCreationSession.play_count).first()
    assert session == {"play_count": 0}


async def test_a_paused_run_stops_its_clock_and_never_expires(
    client: httpx.AsyncClient,
    gql: GraphQLClient,
    ticks: dict[str, ManualTicks],
    clock: FakeClock,
) -> None:
    # given bob's run watched for 3 s of the server's clock, then unwatched
    author, bob = await make_user(), await make_user()
    work_id = await _work(gql, author)
    run_id = data(
        await gql.execute(RUN_START, {"w": work_id}, token=bob.access_token), "bigFishRunStart"
    )["run"]["runId"]
    async with graphql_socket(client, bob.access_token) as ws:
        await ws.subscribe(FRAMES, {"r": run_id})
        await next_frame(ws)
        clock.advance(seconds=3)
        await ticks[run_id].advance(1)
        await next_frame(ws)
    await _unwatched(run_id)
    # when 5 s of ticks pass unwatched (the pause is written at 3 s on the clock)
    await ticks[run_id].advance(50)
    paused = await _framework_row(run_id)
    # and an hour passes on the clock, swept
    clock.advance(hours=1)
    swept = await sweep_expired()
    # then the framework row is PAUSED since 3 s, not expired, not counted as played
    assert (paused["status"], paused["paused_ms"]) == ("paused", 0)
    node = await gql.execute(
        "query($id: ID!) { node(id: $id) { ... on Run { status elapsedMs } } }",
        {"id": relay.to_base64("BigFishTickedRun", run_id)},
        token=bob.access_token,
    )
    assert swept == 0
    assert node["data"]["node"] == {"status": "PAUSED", "elapsedMs": 3000}
    # when bob watches again, then gives up 2 s later
    async with graphql_socket(client, bob.access_token) as ws:
        await ws.subscribe(FRAMES, {"r": run_id})
        await next_frame(ws)
        resumed = await _framework_row(run_id)
        clock.advance(seconds=2)
        abandoned = await gql.execute(RUN_ABANDON, {"id": run_id}, token=bob.access_token)
        # (the ticker finds its lease gone at its next save, within a second, and stops)
        await ticks[run_id].advance(10)
        async with asyncio.timeout(5):
            while (message := await ws.receive())["type"] != "complete":
                assert message["type"] == "next", message
    # then it resumed with the hour counted as paused, and ended after 5 s of play
    assert (resumed["status"], resumed["paused_ms"], resumed["paused_at"]) == (
        "running",
        3_600_000,
        None,
    )
    assert data(abandoned, "runAbandon")["run"]["status"] == "ABANDONED"
    final = await _framework_row(run_id)
    assert (final["status"], final["elapsed_ms"]) == ("abandoned", 5000)
    runtime = await BigFishRuntimeRun.select().where(BigFishRuntimeRun.run_id == run_id).first()
    assert runtime is not None
    assert (runtime["status"], runtime["lease_owner"]) == ("abandoned", None)
    assert run_id not in LIVE_RUNS.runs
    assert (await _played(gql, bob))["totalPlayTimeMs"] == 5000
    # and watching it again answers its last saved world, ABANDONED, without ticking it
    async with graphql_socket(client, bob.access_token) as ws:
        await ws.subscribe(FRAMES, {"r": run_id})
        last = await next_frame(ws)
    assert (last["status"], last["tick"]) == ("ABANDONED", runtime["tick"])
    assert run_id not in LIVE_RUNS.runs


async def test_concurrent_starts_never_pass_the_run_limit_counting_paused_runs(
    gql: GraphQLClient, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a run limit of 3 and bob's one run, paused
    monkeypatch.setenv("RUN_LIMIT", "3")
    get_settings.cache_clear()
    author, bob = await make_user(), await make_user()
    work_id = await _work(gql, author)
    first = await runs.start_run(viewer=bob.principal, work_id=work_id)
    async with write_transaction():
        await server_clock.pause(first.run_id, clock.now())
    # when 4 starts arrive at once
    results = await asyncio.gather(
        *(runs.start_run(viewer=bob.principal, work_id=work_id) for _ in range(4)),
        return_exceptions=True,
    )
    # then exactly 2 started, 2 were RUN_LIMIT_REACHED, and 3 runs exist of each kind
    started = [result for result in results if isinstance(result, BigFishRunRow)]
    refused = [result for result in results if isinstance(result, BigFishError)]
    assert len(started) == 2
    assert [error.code for error in refused] == [BigFishErrorCode.RUN_LIMIT_REACHED] * 2
    assert await RunsRun.count().where(RunsRun.owner_user_id == bob.user_id) == 3
    assert (
        await BigFishRuntimeRun.count().where(BigFishRuntimeRun.owner_user_id == bob.user_id) == 3
    )


async def test_a_page_of_big_fish_runs_costs_the_same_for_one_run_or_five(
    gql: GraphQLClient, clock: FakeClock, count_statements: Any
) -> None:
    # given bob's five runs of two published works
    author, bob = await make_user(), await make_user()
    works = [await _work(gql, author), await _work(gql, author)]
    for number in range(5):
        await runs.start_run(viewer=bob.principal, work_id=works[number % 2])
        clock.advance(seconds=1)
    query = (
        "query($first: Int!) { viewer { runs(playType: BIG_FISH, first: $first) { edges { "
        "node { runId status work { title } ... on BigFishTickedRun { tick snapshot { tick "
        "player { mass } } } } } } } }"
    )

    async def page(first: int) -> tuple[int, list[dict[str, Any]]]:
        with count_statements() as counter:
            result = await gql.execute(query, {"first": first}, token=bob.access_token)
        assert "errors" not in result, result
        edges = result["data"]["viewer"]["runs"]["edges"]
        return counter.count, [edge["node"] for edge in edges]

    # when pages of one run and of five are read
    one, first = await page(1)
    five, every = await page(5)
    # then both cost the same statements, each run with its saved world and its work
    assert (len(first), len(every)) == (1, 5)
    assert one == five
    assert {node["work"]["title"] for node in every} == {"Reef Climb"}
    assert all(node["snapshot"] == {"tick": 0, "player": {"mass": 0.0}} for node in every)


async def test_run_start_refuses_drafts_it_may_not_play_and_writes_nothing(
    gql: GraphQLClient,
) -> None:
    # given alice's complete draft and her draft without levels, and bob
    alice, bob = await make_user(), await make_user()
    complete = await _work(gql, alice, publish=False)
    empty = await BIG_FISH.start_session(viewer=alice.principal, seed_text="an empty sea")
    before = await every_table()

    async def start(user: TestUser, work_id: str, mode: str) -> Any:
        variables = {"input": {"playType": "BIG_FISH", "workId": work_id, "mode": mode}}
        result = await gql.execute(FRAMEWORK_RUN_START, variables, token=user.access_token)
        if "errors" in result:
            return result["errors"][0]["extensions"]["code"]
        return [error["code"] for error in result["data"]["runStart"]["errors"]]

    # when alice PLAYs her unpublished draft, TESTs the empty one, and bob TESTs hers
    refusals = [
        await start(alice, complete, "PLAY"),
        await start(alice, empty.work_id, "TEST"),
        await start(bob, complete, "TEST"),
    ]
    # then NOT_FOUND (not published), NOT_PLAYABLE (no game yet), NOT_FOUND (not his), and
    # no table changed
    assert refusals == ["NOT_FOUND", ["NOT_PLAYABLE"], "NOT_FOUND"]
    assert await every_table() == before
