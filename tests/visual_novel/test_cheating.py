"""A cheating client, through the real ASGI app: another user's run, a choice not offered,
a stale version, text while a text turn is pending: each refused, nothing written."""

from __future__ import annotations

import schema.build  # noqa: F401
from tests.factories import visual_novel as vn
from tests.factories.auth import make_user
from tests.factories.runs import every_table
from tests.fixtures import GraphQLClient


def _codes(answer: dict[str, object], field: str) -> object:
    if "errors" in answer:
        return answer["errors"][0]["extensions"]["code"]  # type: ignore[index]
    return [e["code"] for e in answer["data"][field]["errors"]]  # type: ignore[index]


async def test_a_cheating_client_is_refused_with_nothing_written(
    paused_worker: None, gql: GraphQLClient
) -> None:
    # given a published work and a player's run one choice along (the worker is paused, so
    # a text turn stays pending)
    creator, player, other = await make_user(), await make_user(), await make_user()
    ready = await vn.ready_work(gql, creator.access_token)
    assert (await vn.publish(gql, creator.access_token, ready["workId"]))["errors"] == []
    run = await vn.start_run(gql, player.access_token, ready["workId"])
    first = await vn.choose(gql, player.access_token, run["runId"], "ignore", 0)
    assert first["data"]["visualNovelRunChoose"]["errors"] == []
    before = await every_table()
    # when the client chooses what is not offered (confront needs the letter read), with a
    # stale version, on another user's run, and regenerates another user's turn
    attempts = [
        await vn.choose(gql, player.access_token, run["runId"], "confront", 1),
        await vn.choose(gql, player.access_token, run["runId"], "sleep", 0),
        await vn.choose(gql, other.access_token, run["runId"], "sleep", 1),
        await vn.say(gql, other.access_token, run["runId"], "hello", 1),
        await vn.regenerate(gql, other.access_token, run["runId"], 1),
    ]
    # then each is refused and no table changed
    fields = ["visualNovelRunChoose"] * 3 + ["visualNovelRunSay", "visualNovelRunRegenerate"]
    assert [_codes(a, f) for a, f in zip(attempts, fields, strict=True)] == [
        ["ILLEGAL_MOVE"],
        ["SNAPSHOT_STALE"],
        "NOT_FOUND",
        "NOT_FOUND",
        "NOT_FOUND",
    ]
    assert attempts[1]["data"]["visualNovelRunChoose"]["currentSnapshotVersion"] == 1
    assert await every_table() == before
    # and while a text turn is pending, text, a choice and a regeneration are refused
    said = await vn.say(gql, player.access_token, run["runId"], "Who wrote it?", 1)
    assert said["data"]["visualNovelRunSay"]["run"]["pendingTaskId"] is not None
    pending = await every_table()
    refused = [
        await vn.say(gql, player.access_token, run["runId"], "Answer me", 2),
        await vn.choose(gql, player.access_token, run["runId"], "sleep", 2),
        await vn.regenerate(gql, player.access_token, run["runId"], 1),
    ]
    fields = ["visualNovelRunSay", "visualNovelRunChoose", "visualNovelRunRegenerate"]
    assert [_codes(a, f) for a, f in zip(refused, fields, strict=True)] == [
        ["TURN_IN_PROGRESS"]
    ] * 3
    assert await every_table() == pending
