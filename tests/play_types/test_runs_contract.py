"""The run half of the play-type contract: what every play type with runs must do.

Each test runs once per plugin of resolvers/play_types/registry.py whose `runs` is set, on
a work of the plugin's `example_draft()`, through the real ASGI app: `runStart`, the play
type's action mutation (tests/play_types/run_actions.py), `node(id:)`, `viewer`. The
actions come from the rules themselves (`winning_actions`, `illegal_action`), so a new
play type with runs gets these tests by being listed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import pytest

from resolvers.play_types.contract import PlayTypePlugin
from resolvers.play_types.registry import PLUGINS
from resolvers.runs.rules import RunRules
from resolvers.runs.sweeps import sweep_expired
from tests.factories.auth import TestUser, make_user
from tests.factories.gallery import read_model
from tests.factories.play_types import ready_work
from tests.factories.runs import NODE, PLAYED_WORKS, RUN_ABANDON, RUN_START, every_table
from tests.fixtures import FakeClock, GraphQLClient
from tests.play_types.run_actions import ACTION_MUTATIONS, NOT_IN_CONTRACT

# Play types whose server drives the time (big fish: `RunRules.server_clock`) have no
# client actions; their own tests play them (tests/big_fish/). NOT_IN_CONTRACT lists the
# others the contract's assumptions do not fit, with the reason.
RUN_PLUGINS = [
    plugin
    for plugin in PLUGINS
    if plugin.runs is not None
    and not plugin.runs.server_clock
    and plugin.play_type not in NOT_IN_CONTRACT
]


@pytest.fixture(autouse=True)
def tokens_outlive_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Access tokens live a day: the clock passes a run's limit and the player acts on."""
    from settings import get_settings

    monkeypatch.setenv("ACCESS_TOKEN_TTL_SECONDS", str(24 * 3600))
    get_settings.cache_clear()


@pytest.fixture(params=RUN_PLUGINS, ids=lambda plugin: plugin.play_type.value)
def run_plugin(request: pytest.FixtureRequest) -> PlayTypePlugin:
    """Every registered play type with runs."""
    found: PlayTypePlugin = request.param
    return found


def _rules(plugin: PlayTypePlugin) -> RunRules[Any]:
    assert plugin.runs is not None
    return plugin.runs


async def _published(plugin: PlayTypePlugin, gql: GraphQLClient, author: TestUser) -> str:
    started = await ready_work(plugin, gql, author)
    await plugin.publish(viewer=author.principal, work_id=started.work_id)
    return started.work_id


async def _start(
    gql: GraphQLClient, user: TestUser, plugin: PlayTypePlugin, work_id: str, mode: str = "PLAY"
) -> dict[str, Any]:
    result = await gql.execute(
        RUN_START,
        {"input": {"playType": plugin.play_type.name, "workId": work_id, "mode": mode}},
        token=user.access_token,
    )
    payload: dict[str, Any] = result["data"]["runStart"]
    assert payload["errors"] == [], payload
    return payload["run"]


async def _state(plugin: PlayTypePlugin, run_id: str) -> Mapping[str, Any]:
    return (await _rules(plugin).states([run_id]))[run_id]


async def _act(
    gql: GraphQLClient,
    user: TestUser,
    plugin: PlayTypePlugin,
    run_id: str,
    version: int,
    action: Mapping[str, Any],
) -> dict[str, Any]:
    call = ACTION_MUTATIONS[plugin.play_type](run_id, version, action)
    result = await gql.execute(call.query, call.variables, token=user.access_token)
    if "errors" in result:
        return {"top": result["errors"][0]["extensions"]["code"]}
    payload: dict[str, Any] = result["data"][call.field]
    return payload


async def _node(gql: GraphQLClient, user: TestUser, global_id: str) -> Any:
    return (await gql.execute(NODE, {"id": global_id}, token=user.access_token))["data"]["node"]


def test_every_play_type_with_runs_names_its_action_mutation() -> None:
    # given the registered play types with runs / then each has its action mutation listed
    assert [p.play_type for p in RUN_PLUGINS if p.play_type not in ACTION_MUTATIONS] == []


async def test_a_play_run_is_won_through_the_graph(
    run_plugin: PlayTypePlugin, gql: GraphQLClient, clock: FakeClock
) -> None:
    # given a published work of another user
    author, player = await make_user(), await make_user()
    work_id = await _published(run_plugin, gql, author)
    # when the player starts a run and sends the winning actions, a second apart
    run = await _start(gql, player, run_plugin, work_id)
    actions = _rules(run_plugin).winning_actions(await _state(run_plugin, run["runId"]))
    answers = []
    for version, action in enumerate(actions):
        clock.advance(seconds=1)
        answers.append(await _act(gql, player, run_plugin, run["runId"], version, action))
    # then every action applied with the next version and the last one won the run
    assert [answer["errors"] for answer in answers] == [[] for _ in actions]
    assert [answer["run"]["snapshotVersion"] for answer in answers] == list(
        range(1, len(actions) + 1)
    )
    assert answers[-1]["run"]["status"] == "WON"
    node = await _node(gql, player, run["id"])
    assert (node["status"], node["reason"], node["elapsedMs"]) == (
        "WON",
        "COMPLETED",
        1_000 * len(actions),
    )
    # and the play counted once, in the gallery, the played works and the play time
    read = await read_model(work_id, run_plugin.play_type)
    assert read is not None and read["play_count"] == 1
    viewer = (await gql.execute(PLAYED_WORKS, token=player.access_token))["data"]["viewer"]
    assert viewer["totalPlayTimeMs"] == 1_000 * len(actions)
    assert [
        (e["node"]["workId"], e["node"]["lastObservedPlayTimeMs"])
        for e in viewer["playedWorks"]["edges"]
    ] == [(work_id, 1_000 * len(actions))]


async def test_a_run_expires_when_its_time_is_up(
    run_plugin: PlayTypePlugin, gql: GraphQLClient, clock: FakeClock
) -> None:
    # given a running PLAY run one action along
    author, player = await make_user(), await make_user()
    work_id = await _published(run_plugin, gql, author)
    run = await _start(gql, player, run_plugin, work_id)
    actions = _rules(run_plugin).winning_actions(await _state(run_plugin, run["runId"]))
    await _act(gql, player, run_plugin, run["runId"], 0, actions[0])
    state = await _state(run_plugin, run["runId"])
    # when its time limit passes and the next action arrives late
    clock.advance(milliseconds=_rules(run_plugin).time_limit_ms() + 1)
    late = await _act(gql, player, run_plugin, run["runId"], 1, actions[1])
    # then the action is refused, the run EXPIRED (TIME_UP) and its state is untouched
    assert ([e["code"] for e in late["errors"]], late["currentSnapshotVersion"]) == (
        ["RUN_FINISHED"],
        2,
    )
    node = await _node(gql, player, run["id"])
    limit = _rules(run_plugin).time_limit_ms()
    assert (node["status"], node["reason"], node["elapsedMs"]) == ("EXPIRED", "TIME_UP", limit)
    assert await _state(run_plugin, run["runId"]) == state
    viewer = (await gql.execute(PLAYED_WORKS, token=player.access_token))["data"]["viewer"]
    assert viewer["totalPlayTimeMs"] == limit


async def test_a_cheating_client_is_refused_every_time_and_nothing_changes(
    run_plugin: PlayTypePlugin, gql: GraphQLClient, clock: FakeClock
) -> None:
    # given a run one action along (version 1), and another user
    author, player, other = await make_user(), await make_user(), await make_user()
    work_id = await _published(run_plugin, gql, author)
    run = await _start(gql, player, run_plugin, work_id)
    rules = _rules(run_plugin)
    actions = rules.winning_actions(await _state(run_plugin, run["runId"]))
    await _act(gql, player, run_plugin, run["runId"], 0, actions[0])
    state = await _state(run_plugin, run["runId"])
    before = await every_table()
    # when the client sends a stale version, an illegal move, and acts on another's run
    stale = await _act(gql, player, run_plugin, run["runId"], 0, actions[1])
    illegal = await _act(gql, player, run_plugin, run["runId"], 1, rules.illegal_action(state))
    foreign = await _act(gql, other, run_plugin, run["runId"], 1, actions[1])
    # then each is refused and no table changed
    assert ([e["code"] for e in stale["errors"]], stale["currentSnapshotVersion"]) == (
        ["SNAPSHOT_STALE"],
        1,
    )
    assert [e["code"] for e in illegal["errors"]] == ["ILLEGAL_MOVE"]
    assert foreign == {"top": "NOT_FOUND"}
    assert await every_table() == before
    # and acting after the end is refused and changes nothing
    abandoned = await gql.execute(RUN_ABANDON, {"id": run["runId"]}, token=player.access_token)
    assert abandoned["data"]["runAbandon"]["run"]["status"] == "ABANDONED"
    ended = await every_table()
    after_end = await _act(gql, player, run_plugin, run["runId"], 2, actions[1])
    assert [e["code"] for e in after_end["errors"]] == ["RUN_FINISHED"]
    assert await every_table() == ended
    # and so is acting after the limit (the run expired by the sweep)
    second = await _start(gql, player, run_plugin, work_id)
    second_actions = rules.winning_actions(await _state(run_plugin, second["runId"]))
    clock.advance(milliseconds=rules.time_limit_ms())
    assert await sweep_expired() == 1
    expired = await every_table()
    too_late = await _act(gql, player, run_plugin, second["runId"], 1, second_actions[0])
    assert [e["code"] for e in too_late["errors"]] == ["RUN_FINISHED"]
    assert await every_table() == expired


async def test_twenty_concurrent_actions_with_one_version_apply_once(
    run_plugin: PlayTypePlugin, gql: GraphQLClient, clock: FakeClock
) -> None:
    # given a running run at version 0
    author, player = await make_user(), await make_user()
    work_id = await _published(run_plugin, gql, author)
    run = await _start(gql, player, run_plugin, work_id)
    (action, *_) = _rules(run_plugin).winning_actions(await _state(run_plugin, run["runId"]))
    # when the same action with version 0 arrives 20 times at once
    answers = await asyncio.gather(
        *(_act(gql, player, run_plugin, run["runId"], 0, action) for _ in range(20))
    )
    # then exactly one applied; the 19 others were stale at version 1
    applied = [answer for answer in answers if answer["errors"] == []]
    stale = [answer for answer in answers if answer["errors"] != []]
    assert [answer["run"]["snapshotVersion"] for answer in applied] == [1]
    assert {(a["errors"][0]["code"], a["currentSnapshotVersion"]) for a in stale} == {
        ("SNAPSHOT_STALE", 1)
    }
    assert len(stale) == 19
    assert (await _node(gql, player, run["id"]))["snapshotVersion"] == 1


async def test_plays_count_once_per_ten_minutes(
    run_plugin: PlayTypePlugin, gql: GraphQLClient, clock: FakeClock
) -> None:
    # given a published work and a player
    author, player = await make_user(), await make_user()
    work_id = await _published(run_plugin, gql, author)

    async def plays() -> int:
        read = await read_model(work_id, run_plugin.play_type)
        assert read is not None
        return int(read["play_count"])

    # when the player starts runs at 0, 9:59 and 10:01
    await _start(gql, player, run_plugin, work_id)
    clock.advance(minutes=9, seconds=59)
    await _start(gql, player, run_plugin, work_id)
    within = await plays()
    clock.advance(seconds=2)
    await _start(gql, player, run_plugin, work_id)
    # then the second counted nothing and the third counted again
    assert (within, await plays()) == (1, 2)


async def test_a_test_run_plays_your_draft_and_counts_nothing(
    run_plugin: PlayTypePlugin, gql: GraphQLClient, clock: FakeClock
) -> None:
    # given the owner's draft (never published) and another user
    owner, other = await make_user(), await make_user()
    draft = await ready_work(run_plugin, gql, owner)
    # when the owner TEST-plays it to a win
    run = await _start(gql, owner, run_plugin, draft.work_id, mode="TEST")
    actions = _rules(run_plugin).winning_actions(await _state(run_plugin, run["runId"]))
    for version, action in enumerate(actions):
        clock.advance(seconds=1)
        assert (await _act(gql, owner, run_plugin, run["runId"], version, action))["errors"] == []
    # then it was won, and no play, played work or play time was written
    assert run["mode"] == "TEST"
    assert (await _node(gql, owner, run["id"]))["status"] == "WON"
    viewer = (await gql.execute(PLAYED_WORKS, token=owner.access_token))["data"]["viewer"]
    assert (viewer["totalPlayTimeMs"], viewer["playedWorks"]["edges"]) == (0, [])
    assert await read_model(draft.work_id, run_plugin.play_type) is None
    # and nobody else may run the draft, in either mode, and nothing is written
    before = await every_table()
    for user, mode in ((other, "TEST"), (other, "PLAY"), (owner, "PLAY")):
        refused = await gql.execute(
            RUN_START,
            {
                "input": {
                    "playType": run_plugin.play_type.name,
                    "workId": draft.work_id,
                    "mode": mode,
                }
            },
            token=user.access_token,
        )
        assert refused["errors"][0]["extensions"]["code"] == "NOT_FOUND", (user, mode)
    assert await every_table() == before
