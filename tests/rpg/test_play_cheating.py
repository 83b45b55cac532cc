"""A cheating client in part 2 is refused with nothing written: another user's battle and
session, an anonymous caller, a stale version, an item it does not have, turning in an
unfinished quest, accepting twice, opening a treasure twice, acting in a finished battle;
and 10 concurrent opens of one treasure give exactly one. Through the real ASGI app."""

from __future__ import annotations

import asyncio
from typing import Any

import schema.build  # noqa: F401
from db.tables.rpg import TreasureRecord
from tests.factories import rpg, rpg_play
from tests.factories.auth import make_user
from tests.factories.runs import every_table
from tests.fixtures import GraphQLClient


async def _started(gql: GraphQLClient) -> tuple[Any, dict[str, Any], dict[str, Any]]:
    """A player, their session (read with part 2's fields) and its derived content."""
    creator, player = await make_user(), await make_user()
    work_id = await rpg.published_world(gql, creator.access_token)
    started = (await rpg.start(gql, player.access_token, work_id))["run"]["storySession"]
    read = await gql.execute(
        rpg_play.READ, {"s": started["storySessionId"]}, token=player.access_token
    )
    session = read["data"]["storySession"]
    return player, session, session["derivedContent"]


def _codes(answer: dict[str, Any]) -> list[str]:
    return [error["code"] for error in answer["errors"]]


async def test_another_user_an_anonymous_caller_and_a_stale_version_write_nothing(
    gql: GraphQLClient,
) -> None:
    # given a player with an active battle, and another user
    player, session, content = await _started(gql)
    other = await make_user()
    sid, token = session["storySessionId"], player.access_token
    hostile = content["hostiles"][0]["npcId"]
    started = await rpg.act(
        gql,
        token,
        rpg_play.BATTLE_START,
        storySessionId=sid,
        targetNpcId=hostile,
        expectedVersion=0,
    )
    battle_id = started["storySession"]["battles"][0]["battleId"]
    before = await every_table()
    # when the other user and an anonymous caller act on the battle and the session
    for caller, code in ((other.access_token, "NOT_FOUND"), (None, "UNAUTHENTICATED")):
        moves = [
            (rpg_play.BATTLE_ACT, {"battleId": battle_id, "action": "ATTACK"}),
            (rpg_play.BATTLE_START, {"storySessionId": sid, "targetNpcId": hostile}),
            (
                rpg_play.TREASURE,
                {
                    "storySessionId": sid,
                    "encounterId": content["encounters"][0]["encounterId"],
                    "action": "OPEN",
                },
            ),
            (
                rpg_play.QUEST_ACCEPT,
                {"storySessionId": sid, "npcId": content["quests"][0]["issuerNpcId"]},
            ),
            (
                rpg_play.QUEST_TURN_IN,
                {"storySessionId": sid, "questKey": content["quests"][0]["questId"]},
            ),
        ]
        for query, fields in moves:
            answer = await rpg.act(gql, caller, query, expectedVersion=1, **fields)
            # then each is refused at the top level
            assert answer == {"top": code}, answer
    # when the player acts on a stale version
    stale = await rpg.act(
        gql, token, rpg_play.BATTLE_ACT, battleId=battle_id, action="ATTACK", expectedVersion=0
    )
    # then SNAPSHOT_STALE with the current version
    assert (_codes(stale), stale["currentSnapshotVersion"]) == (["SNAPSHOT_STALE"], 1)
    # and nothing was written
    assert await every_table() == before


async def test_rule_refusals_write_nothing(gql: GraphQLClient) -> None:
    # given a player with an accepted quest, an opened treasure and a battle they fled
    player, session, content = await _started(gql)
    sid, token = session["storySessionId"], player.access_token
    quest, encounter = content["quests"][0], content["encounters"][0]["encounterId"]
    hostile = content["hostiles"][0]["npcId"]
    steps = [
        (rpg_play.QUEST_ACCEPT, {"npcId": quest["issuerNpcId"]}),
        (rpg_play.TREASURE, {"encounterId": encounter, "action": "OPEN"}),
        (rpg_play.BATTLE_START, {"targetNpcId": hostile}),
    ]
    for version, (query, fields) in enumerate(steps):
        answer = await rpg.act(
            gql, token, query, storySessionId=sid, expectedVersion=version, **fields
        )
        assert answer["errors"] == [], answer
    battle_id = answer["storySession"]["battles"][0]["battleId"]
    unarmed = await every_table()
    no_item = await rpg.act(
        gql,
        token,
        rpg_play.BATTLE_ACT,
        battleId=battle_id,
        action="ITEM",
        itemId="find_nowhere",
        expectedVersion=3,
    )
    assert await every_table() == unarmed
    fled = await rpg.act(
        gql, token, rpg_play.BATTLE_ACT, battleId=battle_id, action="FLEE", expectedVersion=3
    )
    assert fled["storySession"]["battles"][0]["status"] == "FLED"
    before = await every_table()
    # when the client cheats
    answers = [
        await rpg.act(
            gql, token, rpg_play.BATTLE_ACT, battleId=battle_id, action="ATTACK", expectedVersion=4
        ),
        await rpg.act(
            gql,
            token,
            rpg_play.QUEST_TURN_IN,
            storySessionId=sid,
            questKey=quest["questId"],
            expectedVersion=4,
        ),
        await rpg.act(
            gql,
            token,
            rpg_play.QUEST_ACCEPT,
            storySessionId=sid,
            npcId=quest["issuerNpcId"],
            expectedVersion=4,
        ),
        await rpg.act(
            gql,
            token,
            rpg_play.TREASURE,
            storySessionId=sid,
            encounterId=encounter,
            action="OPEN",
            expectedVersion=4,
        ),
        await rpg.act(
            gql,
            token,
            rpg_play.QUEST_TURN_IN,
            storySessionId=sid,
            questKey="quest_nobody",
            expectedVersion=4,
        ),
        await rpg.act(
            gql,
            token,
            rpg_play.BATTLE_START,
            storySessionId=sid,
            targetNpcId="hostile_nowhere",
            expectedVersion=4,
        ),
    ]
    # then each is refused with its code
    assert _codes(no_item) == ["ILLEGAL_MOVE"]
    assert [_codes(a) for a in answers] == [
        ["BATTLE_FINISHED"],
        ["QUEST_NOT_COMPLETED"],
        ["QUEST_ALREADY_ACCEPTED"],
        ["TREASURE_ALREADY_OPENED"],
        ["QUEST_NOT_ACCEPTED"],
        ["ILLEGAL_MOVE"],
    ]
    assert all(a["storySession"] is None for a in answers)
    # and nothing was written
    assert await every_table() == before


async def test_a_treasure_is_not_opened_during_a_battle(gql: GraphQLClient) -> None:
    # given a player in an active battle
    player, session, content = await _started(gql)
    sid, token = session["storySessionId"], player.access_token
    started = await rpg.act(
        gql,
        token,
        rpg_play.BATTLE_START,
        storySessionId=sid,
        targetNpcId=content["hostiles"][0]["npcId"],
        expectedVersion=0,
    )
    assert started["errors"] == [], started
    before = await every_table()
    # when they open a treasure
    answer = await rpg.act(
        gql,
        token,
        rpg_play.TREASURE,
        storySessionId=sid,
        encounterId=content["encounters"][0]["encounterId"],
        action="OPEN",
        expectedVersion=1,
    )
    # then BATTLE_IN_PROGRESS, and nothing was written
    assert (_codes(answer), answer["storySession"]) == (["BATTLE_IN_PROGRESS"], None)
    assert await every_table() == before


async def test_ten_concurrent_opens_of_one_treasure_give_exactly_one(gql: GraphQLClient) -> None:
    # given a player's session and one of its encounters
    player, session, content = await _started(gql)
    encounter = content["encounters"][0]["encounterId"]

    async def open_it() -> Any:
        return await rpg.act(
            gql,
            player.access_token,
            rpg_play.TREASURE,
            storySessionId=session["storySessionId"],
            encounterId=encounter,
            action="OPEN",
            expectedVersion=0,
        )

    # when ten opens race
    answers = await asyncio.gather(*(open_it() for _ in range(10)))
    # then exactly one opened it, the others were refused
    assert sum(1 for a in answers if a["errors"] == []) == 1
    assert all(_codes(a) in ([], ["SNAPSHOT_STALE"]) for a in answers)
    rows = await TreasureRecord.select().where(
        TreasureRecord.runtime_session_id == session["runtimeSessionId"]
    )
    assert [r["action"] for r in rows] == ["open"]
