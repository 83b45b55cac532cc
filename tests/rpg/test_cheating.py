"""A cheating client is refused with nothing written: another user's session, an anonymous
caller, a stale version, a move not offered, an item it does not have, recruiting below the
threshold, a second story turn while one is pending, and a TEST session of someone else's
draft. Through the real ASGI app."""

from __future__ import annotations

import asyncio

import httpx

import schema.build  # noqa: F401
from tests.factories import rpg, worlds
from tests.factories.auth import make_user
from tests.factories.runs import every_table
from tests.fixtures import GraphQLClient
from tests.ws import graphql_socket


async def test_another_user_and_an_anonymous_caller_are_refused(
    gql: GraphQLClient, client: httpx.AsyncClient
) -> None:
    # given a player's session and another user
    creator, player, other = await make_user(), await make_user(), await make_user()
    work_id = await rpg.published_world(gql, creator.access_token)
    session = (await rpg.start(gql, player.access_token, work_id))["run"]["storySession"]
    sid, npc_id = session["storySessionId"], session["npcs"][0]["npcId"]
    slot_id = session["inventory"][0]["slotId"]
    before = await every_table()
    # when the other user and an anonymous caller act on it and read it
    for token, code in ((other.access_token, "NOT_FOUND"), (None, "UNAUTHENTICATED")):
        moves = [
            (rpg.CONTINUE, {"choiceFunctionId": "rest"}),
            (rpg.NPC, {"npcId": npc_id, "action": "CHAT"}),
            (rpg.INVENTORY, {"slotId": slot_id, "action": "USE"}),
        ]
        for query, fields in moves:
            answer = await rpg.act(
                gql, token, query, storySessionId=sid, expectedVersion=0, **fields
            )
            # then each is refused at the top level
            assert answer == {"top": code}, answer
        read = await gql.execute(rpg.SESSION, {"s": sid}, token=token)
        assert read["errors"][0]["extensions"]["code"] == code
    async with graphql_socket(client, other.access_token) as ws:
        await ws.subscribe(rpg.EVENTS, {"s": sid, "a": 0})
        (refused,) = await ws.next_payloads(1)
    assert refused["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    async with graphql_socket(client, None) as ws:
        await ws.subscribe(rpg.EVENTS, {"s": sid, "a": 0})
        (anonymous,) = await ws.next_payloads(1)
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    # and nothing was written
    assert await every_table() == before


async def test_stale_versions_illegal_moves_and_missing_items_write_nothing(
    gql: GraphQLClient,
) -> None:
    # given a player's session (version 0) and another player's session
    creator, player, rival = await make_user(), await make_user(), await make_user()
    work_id = await rpg.published_world(gql, creator.access_token)
    token = player.access_token
    session = (await rpg.start(gql, token, work_id))["run"]["storySession"]
    theirs = (await rpg.start(gql, rival.access_token, work_id))["run"]["storySession"]
    sid = session["storySessionId"]
    npc = min(session["npcs"], key=lambda n: n["affinity"])
    their_gift = next(s for s in theirs["inventory"] if s["category"] == "gift")
    weapon = next(s for s in session["inventory"] if s["itemId"] == "weapon")
    before = await every_table()
    # when the client cheats
    stale = await rpg.act(
        gql,
        token,
        rpg.NPC,
        storySessionId=sid,
        npcId=npc["npcId"],
        action="CHAT",
        expectedVersion=3,
    )
    not_offered = await rpg.act(
        gql,
        token,
        rpg.CONTINUE,
        storySessionId=sid,
        choiceFunctionId="explore:nowhere",
        expectedVersion=0,
    )
    both = await rpg.act(
        gql,
        token,
        rpg.CONTINUE,
        storySessionId=sid,
        choiceFunctionId="rest",
        text="hi",
        expectedVersion=0,
    )
    foreign_item = await rpg.act(
        gql,
        token,
        rpg.NPC,
        storySessionId=sid,
        npcId=npc["npcId"],
        action="GIFT",
        slotId=their_gift["slotId"],
        expectedVersion=0,
    )
    no_item = await rpg.act(
        gql,
        token,
        rpg.NPC,
        storySessionId=sid,
        npcId=npc["npcId"],
        action="GIFT",
        slotId="01NOSUCHSLOT",
        expectedVersion=0,
    )
    weapon_used = await rpg.act(
        gql,
        token,
        rpg.INVENTORY,
        storySessionId=sid,
        slotId=weapon["slotId"],
        action="USE",
        expectedVersion=0,
    )
    unequip_backpack = await rpg.act(
        gql,
        token,
        rpg.INVENTORY,
        storySessionId=sid,
        slotId=weapon["slotId"],
        action="UNEQUIP",
        expectedVersion=0,
    )
    recruit = await rpg.act(
        gql,
        token,
        rpg.NPC,
        storySessionId=sid,
        npcId=npc["npcId"],
        action="RECRUIT",
        expectedVersion=0,
    )
    nobody = await rpg.act(
        gql,
        token,
        rpg.NPC,
        storySessionId=sid,
        npcId="nobody",
        action="CHAT",
        expectedVersion=0,
    )
    # then each is refused with its code
    assert (stale["errors"][0]["code"], stale["currentSnapshotVersion"]) == ("SNAPSHOT_STALE", 0)
    assert stale["storySession"] is None
    codes = [
        answer["errors"][0]["code"]
        for answer in (
            not_offered,
            both,
            foreign_item,
            no_item,
            weapon_used,
            unequip_backpack,
            recruit,
            nobody,
        )
    ]
    assert codes == [
        "ILLEGAL_MOVE",
        "ACTION_INVALID",
        "ILLEGAL_MOVE",
        "ILLEGAL_MOVE",
        "ILLEGAL_MOVE",
        "ILLEGAL_MOVE",
        "ILLEGAL_MOVE",
        "ILLEGAL_MOVE",
    ]
    assert recruit["errors"][0]["message"].endswith(f"(affinity {npc['affinity']} < 50).")
    # and nothing was written: no row, no event, no version
    assert await every_table() == before


async def test_a_test_session_of_someone_elses_draft_is_not_found(gql: GraphQLClient) -> None:
    # given an owner's unpublished world and another user
    owner, other = await make_user(), await make_user()
    ready = await worlds.ready_world(gql, owner.access_token)
    work_id = ready["profile_id"]
    before = await every_table()
    # when the other user starts a TEST or a PLAY session on the draft
    for mode in ("TEST", "PLAY"):
        refused = await gql.execute(
            rpg.RUN_START,
            {"i": {"playType": "CUSTOM_WORLD", "workId": work_id, "mode": mode}},
            token=other.access_token,
        )
        # then it is NOT_FOUND, like a missing world, and nothing is written
        assert refused["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert await every_table() == before
    # and the owner's TEST session of it is the owner's alone
    started = await rpg.start(gql, owner.access_token, work_id, mode="TEST")
    assert started["errors"] == [], started
    session = started["run"]["storySession"]
    assert len(session["npcs"]) == 2
    mid = await every_table()
    answer = await rpg.act(
        gql,
        other.access_token,
        rpg.CONTINUE,
        storySessionId=session["storySessionId"],
        choiceFunctionId="rest",
        expectedVersion=0,
    )
    assert answer == {"top": "NOT_FOUND"}
    assert await every_table() == mid


async def test_ten_concurrent_uses_of_the_last_draught_through_the_graph(
    gql: GraphQLClient,
) -> None:
    # given a session with one healing draught left
    creator, player = await make_user(), await make_user()
    work_id = await rpg.published_world(gql, creator.access_token)
    token = player.access_token
    session = (await rpg.start(gql, token, work_id))["run"]["storySession"]
    sid = session["storySessionId"]
    slot_id = next(s["slotId"] for s in session["inventory"] if s["itemId"] == "healing_draught")
    for version in (0, 1):
        used = await rpg.act(
            gql,
            token,
            rpg.INVENTORY,
            storySessionId=sid,
            slotId=slot_id,
            action="USE",
            expectedVersion=version,
        )
        assert used["errors"] == [], used
    # when ten requests use it at once
    answers = await asyncio.gather(
        *(
            rpg.act(
                gql,
                token,
                rpg.INVENTORY,
                storySessionId=sid,
                slotId=slot_id,
                action="USE",
                expectedVersion=2,
            )
            for _ in range(10)
        )
    )
    # then exactly one used it, nine were stale at version 3, and the slot is gone
    won = [a for a in answers if a["errors"] == []]
    assert len(won) == 1
    assert (
        sorted(
            (a["errors"][0]["code"], a["currentSnapshotVersion"]) for a in answers if a["errors"]
        )
        == [("SNAPSHOT_STALE", 3)] * 9
    )
    rows = await rpg.rows(session["runtimeSessionId"])
    assert [r for r in rows["inventory_slot"] if r["slot_id"] == slot_id] == []
    assert rows["story_session"][0]["version"] == 3
