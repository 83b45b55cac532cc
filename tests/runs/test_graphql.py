"""Runs on the graph, through the real ASGI app: `runStart`, `runAbandon`, `viewer.runs`,
`node(id:)`, `viewer.playedWorks`, `viewer.totalPlayTimeMs` and their refusals, with the
counter play type (tests/runs/fake.py) and puzzles side by side."""

from __future__ import annotations

from typing import Any

import pytest

from resolvers.runs.lifecycle import act, start_run
from resolvers.worlds.plugin import CUSTOM_WORLD
from tests.factories.auth import make_user
from tests.factories.gallery import TEST_PLAY_TYPE, publish
from tests.factories.runs import (
    NODE,
    PLAYED_WORKS,
    RUN_ABANDON,
    RUN_START,
    VIEWER_RUNS,
    every_table,
)
from tests.fixtures import FakeClock, GraphQLClient
from tests.runs.fake import LIMIT_MS, CounterRules

COUNTER = TEST_PLAY_TYPE.name
ADD = {"kind": "add", "n": 1}


async def _start(gql: GraphQLClient, token: str, work_id: str, mode: str = "PLAY") -> Any:
    result = await gql.execute(
        RUN_START, {"input": {"playType": COUNTER, "workId": work_id, "mode": mode}}, token=token
    )
    assert "errors" not in result, result
    return result["data"]["runStart"]


async def test_a_run_from_start_to_win_on_the_graph(
    gql: GraphQLClient, clock: FakeClock, counter: CounterRules
) -> None:
    # given a published work of the counter play type
    author, player = await make_user(), await make_user()
    work_id, _ = await publish(author.user_id, title="Counting Sheep")
    # when the player starts a run, plays it to a win in 4 s and reads it back
    started = await _start(gql, player.access_token, work_id)
    run_id = started["run"]["runId"]
    clock.advance(seconds=4)
    await act(
        viewer=player.principal,
        run_id=run_id,
        expected_snapshot_version=0,
        action={"kind": "add", "n": 3},
    )
    read = await gql.execute(
        "query($id: ID!) { node(id: $id) { ... on CounterTestRun { status reason "
        "snapshotVersion elapsedMs count target work { workId title } } } }",
        {"id": started["run"]["id"]},
        token=player.access_token,
    )
    played = await gql.execute(PLAYED_WORKS, token=player.access_token)
    # then the run started RUNNING at version 0 and reads WON with its state and work
    assert started["errors"] == []
    assert {
        key: started["run"][key] for key in ("playType", "mode", "status", "snapshotVersion")
    } == {
        "playType": COUNTER,
        "mode": "PLAY",
        "status": "RUNNING",
        "snapshotVersion": 0,
    }
    assert started["run"]["durationLimitMs"] == LIMIT_MS
    assert read["data"]["node"] == {
        "status": "WON",
        "reason": "COMPLETED",
        "snapshotVersion": 1,
        "elapsedMs": 4_000,
        "count": 3,
        "target": 3,
        "work": {"workId": work_id, "title": "Counting Sheep"},
    }
    # and the viewer sees the played work and the play time
    viewer = played["data"]["viewer"]
    assert viewer["totalPlayTimeMs"] == 4_000
    (entry,) = [edge["node"] for edge in viewer["playedWorks"]["edges"]]
    assert {key: entry[key] for key in ("worldKey", "playType", "workId", "title")} == {
        "worldKey": f"{TEST_PLAY_TYPE.value}:{work_id}",
        "playType": COUNTER,
        "workId": work_id,
        "title": "Counting Sheep",
    }
    assert entry["lastObservedPlayTimeMs"] == 4_000
    assert entry["work"] == {"workId": work_id, "title": "Counting Sheep"}


async def test_runs_are_listed_newest_first_with_filters_and_pages(
    gql: GraphQLClient, clock: FakeClock
) -> None:
    # given three runs started a second apart, the second abandoned
    author, player = await make_user(), await make_user()
    work_id, _ = await publish(author.user_id)
    run_ids = []
    for _ in range(3):
        run_ids.append((await _start(gql, player.access_token, work_id))["run"]["runId"])
        clock.advance(seconds=1)
    abandoned = await gql.execute(RUN_ABANDON, {"id": run_ids[1]}, token=player.access_token)
    assert abandoned["data"]["runAbandon"]["errors"] == []

    async def listed(**variables: Any) -> tuple[list[str], Any]:
        result = await gql.execute(VIEWER_RUNS, variables, token=player.access_token)
        runs = result["data"]["viewer"]["runs"]
        return [edge["node"]["runId"] for edge in runs["edges"]], runs["pageInfo"]

    # when the viewer lists them: all in pages of 2, running only, abandoned only
    first_page, info = await listed(first=2)
    second_page, last_info = await listed(first=2, after=info["endCursor"])
    running, _ = await listed(status="RUNNING")
    ended, _ = await listed(status="ABANDONED", playType=COUNTER)
    none, _ = await listed(playType="PUZZLE")
    # then the most recently changed come first (the abandoned one changed last)
    assert first_page + second_page == [run_ids[1], run_ids[2], run_ids[0]]
    assert (info["hasNextPage"], last_info["hasNextPage"]) == (True, False)
    assert running == [run_ids[2], run_ids[0]]
    assert ended == [run_ids[1]]
    assert none == []


async def test_a_run_is_its_players_alone(gql: GraphQLClient, clock: FakeClock) -> None:
    # given a player's run and another user
    author, player, other = await make_user(), await make_user(), await make_user()
    work_id, _ = await publish(author.user_id)
    started = await _start(gql, player.access_token, work_id)
    global_id, run_id = started["run"]["id"], started["run"]["runId"]
    before = await every_table()
    # when the other user reads it, abandons it, or lists their runs
    read = await gql.execute(NODE, {"id": global_id}, token=other.access_token)
    abandon = await gql.execute(RUN_ABANDON, {"id": run_id}, token=other.access_token)
    listed = await gql.execute(VIEWER_RUNS, token=other.access_token)
    anonymous = await gql.execute(RUN_ABANDON, {"id": run_id})
    # then the run does not exist for them, and nothing changed
    assert read["data"]["node"] is None
    assert abandon["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert listed["data"]["viewer"]["runs"]["edges"] == []
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await every_table() == before


async def test_reading_a_run_whose_time_is_up_expires_it(
    gql: GraphQLClient, clock: FakeClock
) -> None:
    # given a running run whose limit has passed
    author, player = await make_user(), await make_user()
    work_id, _ = await publish(author.user_id)
    started = await _start(gql, player.access_token, work_id)
    clock.advance(milliseconds=LIMIT_MS + 500)
    # when its player reads it, then abandons it
    read = await gql.execute(NODE, {"id": started["run"]["id"]}, token=player.access_token)
    abandon = await gql.execute(
        RUN_ABANDON, {"id": started["run"]["id"]}, token=player.access_token
    )
    # then it reads EXPIRED at its deadline after its whole limit, and cannot be abandoned
    node = read["data"]["node"]
    assert (node["status"], node["reason"], node["elapsedMs"], node["snapshotVersion"]) == (
        "EXPIRED",
        "TIME_UP",
        LIMIT_MS,
        1,
    )
    assert node["finishedAt"] == node["deadlineAt"]
    payload = abandon["data"]["runAbandon"]
    assert [error["code"] for error in payload["errors"]] == ["RUN_FINISHED"]
    assert (payload["run"], payload["currentSnapshotVersion"]) == (None, 1)


async def test_start_refusals_are_payloads_or_not_found(
    gql: GraphQLClient, clock: FakeClock, counter: CounterRules, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a player at the run limit, and another user's draft, and custom worlds made a
    # play type without runs for the test (every built play type has runs now)
    monkeypatch.setattr(CUSTOM_WORLD, "runs", None)
    author, player = await make_user(), await make_user()
    work_id, _ = await publish(author.user_id)
    counter.drafts["their-draft"] = author.user_id
    for _ in range(20):
        await start_run(
            viewer=player.principal, play_type=TEST_PLAY_TYPE, work_id=work_id, mode="play"
        )
    before = await every_table()
    # when the player starts another run, a run of a play type without runs, and a TEST run
    # of the other user's draft
    limit = await gql.execute(
        RUN_START, {"input": {"playType": COUNTER, "workId": work_id}}, token=player.access_token
    )
    unsupported = await gql.execute(
        RUN_START,
        {"input": {"playType": "CUSTOM_WORLD", "workId": "w"}},
        token=player.access_token,
    )
    draft = await gql.execute(
        RUN_START,
        {"input": {"playType": COUNTER, "workId": "their-draft", "mode": "TEST"}},
        token=player.access_token,
    )
    # then each is refused and nothing changed
    assert limit["data"]["runStart"] == {
        "errors": [
            {
                "code": "RUN_LIMIT_REACHED",
                "field": None,
                "message": "You have 20 unfinished runs: finish or abandon one first.",
            }
        ],
        "run": None,
    }
    assert [error["code"] for error in unsupported["data"]["runStart"]["errors"]] == [
        "PLAY_TYPE_UNSUPPORTED"
    ]
    assert draft["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert await every_table() == before
