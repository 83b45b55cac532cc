"""Big fish through the real ASGI app: a seed, sprites generated, published, in the
gallery, then one run steered to a win and one to a loss, frames received each tick, both
runs of the run framework (`viewer.runs`, FINISHED events)."""

from __future__ import annotations

from typing import Any

import httpx

from db.tables.big_fish import BigFishEvent, BigFishRuntimeRun
from resolvers.big_fish import simulation
from resolvers.big_fish.plugin import BIG_FISH
from resolvers.big_fish.ticks import ManualTicks
from resolvers.gallery.play_types import PlayType
from tests.big_fish.graph import (
    AUTOSAVE,
    EVENTS,
    FRAMES,
    GENERATE,
    PUBLISH,
    RUN_START,
    SESSION,
    START,
    data,
    play,
)
from tests.factories.auth import TestUser, make_user
from tests.factories.gallery import read_model
from tests.factories.images import cover, finish
from tests.factories.runs import VIEWER_RUNS, events_of
from tests.fixtures import GraphQLClient
from tests.ws import graphql_socket

SLOTS = ["background", "fish:perch", "fish:shark", "fish:shrimp", "motion:eat", "motion:swim"]


async def _published(client: httpx.AsyncClient, gql: GraphQLClient, alice: TestUser) -> str:
    token = alice.access_token
    session = data(await gql.execute(START, {"s": "reef"}, token=token), "bigFishSessionStart")
    session_id = session["session"]["sessionId"]
    draft = BIG_FISH.example_draft()
    data(
        await gql.execute(AUTOSAVE, {"s": session_id, "d": draft}, token=token),
        "bigFishSessionAutosave",
    )
    queued = data(
        await gql.execute(GENERATE, {"s": session_id}, token=token), "bigFishAssetsGenerate"
    )
    # (the worker may already have drawn some: none is MISSING any more)
    assert len(queued["taskIds"]) == 6
    assert {slot["status"] for slot in queued["session"]["slots"]} <= {"PENDING", "READY"}
    covered = data(
        await cover(gql, token, "BIG_FISH", session_id, "a reef at dawn"), "workCoverGenerate"
    )
    for task_id in [*queued["taskIds"], covered["task"]["taskId"]]:
        assert (await finish(client, token, task_id))[-1]["kind"] == "COMPLETED"
    return str(session_id)


async def test_seed_to_sprites_to_gallery_to_a_won_and_a_lost_run(
    client: httpx.AsyncClient, gql: GraphQLClient, ticks: dict[str, ManualTicks]
) -> None:
    # given alice's work, its six sprites and cover generated, then published
    alice, bob = await make_user(), await make_user()
    session_id = await _published(client, gql, alice)
    token = alice.access_token
    before = data(await gql.execute(SESSION, {"s": session_id}, token=token), "bigFishSession")
    published = data(
        await gql.execute(PUBLISH, {"s": session_id}, token=token), "bigFishWorkPublish"
    )
    # then every sprite was READY with a URL, and the work is in the gallery
    assert [slot["slot"] for slot in before["slots"]] == SLOTS
    assert {slot["status"] for slot in before["slots"]} == {"READY"}
    assert all("/assets/objects/" in slot["assetUrl"] for slot in before["slots"])
    assert before["assetCoverage"] == {"required": 6, "ready": 6, "missing": [], "cover": True}
    assert published["session"]["publicationStatus"] == "PUBLISHED"
    assert published["session"]["publicWorkCode"].startswith("BF")
    assert (await read_model(session_id, PlayType.BIG_FISH)) is not None
    feed = await gql.execute("{ gallery(first: 10) { edges { node { workId playType } } } }")
    assert {"workId": session_id, "playType": "BIG_FISH"} in [
        edge["node"] for edge in feed["data"]["gallery"]["edges"]
    ]
    # and the gate's evaluations were recorded and replay to the owner
    assert await BigFishEvent.count().where(BigFishEvent.session_id == session_id) == 1
    async with graphql_socket(client, token) as ws:
        await ws.subscribe(EVENTS, {"s": session_id, "a": 0})
        (first,) = await ws.next_payloads(1)
    assert first["data"]["bigFishEvents"] == {
        "sequence": 1,
        "kind": "publish_gate_evaluated",
        "publishReady": True,
        "blockers": [],
    }
    # when bob plays it twice: hunting smaller fish, then swimming at a shark
    outcomes: list[list[dict[str, Any]]] = []
    for policy in (simulation.hunting, simulation.reckless):
        run = data(
            await gql.execute(RUN_START, {"w": session_id}, token=bob.access_token),
            "bigFishRunStart",
        )
        run_id = run["run"]["runId"]
        async with graphql_socket(client, bob.access_token) as ws:
            await ws.subscribe(FRAMES, {"r": run_id})
            outcomes.append(await play(gql, ws, bob.access_token, run_id, ticks, policy))
        # then the run's row holds the end, saved once it ended
        row = await BigFishRuntimeRun.select().where(BigFishRuntimeRun.run_id == run_id).first()
        assert row is not None
        assert (row["status"], row["tick"]) == (
            outcomes[-1][-1]["status"].lower(),
            outcomes[-1][-1]["tick"],
        )
        assert row["lease_owner"] is None
    won, lost = outcomes
    # then a frame came for every tick: the win at tick 48 with mass 3.2, the loss at 8
    assert [frame["tick"] for frame in won] == list(range(49))
    assert (won[-1]["status"], won[-1]["player"]["mass"]) == ("WON", 3.2)
    assert [frame["tick"] for frame in lost] == list(range(9))
    assert lost[-1]["status"] == "LOST"
    # and both are runs of the run framework in bob's runs, ended through its finishing
    listed = await gql.execute(VIEWER_RUNS, {"first": 10}, token=bob.access_token)
    nodes = [edge["node"] for edge in listed["data"]["viewer"]["runs"]["edges"]]
    assert [(node["playType"], node["mode"], node["status"], node["reason"]) for node in nodes] == [
        ("BIG_FISH", "PLAY", "LOST", "EATEN"),
        ("BIG_FISH", "PLAY", "WON", "COMPLETED"),
    ]
    assert [event["kind"] for event in await events_of(nodes[0]["runId"])] == [
        "started",
        "finished",
    ]
