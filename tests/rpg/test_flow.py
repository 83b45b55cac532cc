"""The issue's done-when, through the real ASGI app: a published world played from its
opening through three story turns (the third typed text asking for gold and items: only
narrative changes), a chat, a gift, a recruit and equipping an item, each table's rows
checked after each step, and the session's events replayed on `storySessionEvents`."""

from __future__ import annotations

from typing import Any

import httpx

import schema.build  # noqa: F401
from resolvers.gallery.play_types import PlayType
from resolvers.rpg.model import (
    CHAT_AFFINITY,
    CHAT_AFFINITY_CHATS,
    GIFT_AFFINITY,
    LIKED_GIFT_AFFINITY,
    RECRUIT_AFFINITY,
    RECRUIT_THRESHOLD,
)
from tests.factories import rpg
from tests.factories.auth import make_user
from tests.factories.gallery import read_model
from tests.fixtures import GraphQLClient


def _slot(session: dict[str, Any], item_id: str) -> dict[str, Any]:
    return next(s for s in session["inventory"] if s["itemId"] == item_id)


def _npc(session: dict[str, Any], npc_id: str) -> dict[str, Any]:
    return next(n for n in session["npcs"] if n["npcId"] == npc_id)


async def test_a_published_world_played_from_its_opening(
    gql: GraphQLClient, client: httpx.AsyncClient
) -> None:
    creator, player = await make_user(), await make_user()
    work_id = await rpg.published_world(gql, creator.access_token)
    token = player.access_token
    # when the player starts a story session on it
    started = await rpg.start(gql, token, work_id)
    assert started["errors"] == [], started
    read = await read_model(work_id, PlayType.CUSTOM_WORLD)
    assert read is not None and read["play_count"] == 1  # a PLAY session counts a play
    run = started["run"]
    session = run["storySession"]
    run_id = run["runId"]
    # then the run is the session: version 0, the opening, two NPCs, the starting items
    assert (session["runtimeSessionId"], session["version"], session["status"]) == (
        run_id,
        0,
        "ACTIVE",
    )
    rows = await rpg.rows(run_id)
    assert [(r["version"], r["status"], r["turn_count"]) for r in rows["story_session"]] == [
        (0, "active", 0)
    ]
    assert [(e["event_kind"], e["turn_index"]) for e in rows["story_event"]] == [("opening", 0)]
    assert rows["story_event"][0]["narrative_text"] == session["latestNarrativeText"]
    assert len(rows["npc_state"]) == 2
    assert {r["relation_state"] for r in rows["npc_state"]} <= {"distant", "acquainted", "friendly"}
    backpack = [(r["slot_key"], r["quantity"], r["source_kind"]) for r in rows["inventory_slot"]]
    gifts = [s for s in session["inventory"] if s["category"] == "gift"]
    assert len(gifts) == 2
    assert sorted(backpack) == sorted(
        [
            ("healing_draught#1", 3, "starting"),
            ("weapon#1", 1, "starting"),
            ("armor#1", 1, "starting"),
            *((f"{g['stackKey']}#1", 2, "starting") for g in gifts),
        ]
    )
    offered = [c["functionId"] for c in session["offeredChoices"]]
    place_id = offered[0].split(":")[1]
    npc_ids = [n["npcId"] for n in session["npcs"]]
    assert offered == [f"explore:{place_id}", f"meet:{npc_ids[0]}", offered[2], "rest"]
    assert offered[2].startswith("chapter:")

    # turn 1: explore the first place: its find enters the backpack (the server's rule)
    text, session = await rpg.turn(gql, client, token, session, choiceFunctionId=offered[0])
    assert (session["version"], session["status"], session["turnCount"]) == (2, "ACTIVE", 1)
    assert (session["latestNarrativeText"], session["latestChoiceFunctionId"]) == (
        text,
        offered[0],
    )
    rows = await rpg.rows(run_id)
    find = [r for r in rows["inventory_slot"] if r["source_kind"] == "exploration"]
    assert [(r["item_id"], r["quantity"], r["source_reference_id"]) for r in find] == [
        (f"find_{place_id}", 1, place_id)
    ]
    assert [(e["event_kind"], e["choice_function_id"]) for e in rows["story_event"]] == [
        ("opening", None),
        ("choice", offered[0]),
    ]
    assert rows["story_event"][1]["narrative_text"] == text
    assert session["offeredChoices"][0]["functionId"] != offered[0]  # explored: not again

    # turn 2: meet the first NPC: its first fact is revealed
    meet = f"meet:{npc_ids[0]}"
    _, session = await rpg.turn(gql, client, token, session, choiceFunctionId=meet)
    rows = await rpg.rows(run_id)
    met = next(r for r in rows["npc_state"] if r["npc_id"] == npc_ids[0])
    assert len(met["revealed_facts"]) == 1 and met["chatted_count"] == 0
    assert (
        met["first_meaningful_contact_resolved"] is False
        or met["first_meaningful_contact_resolved"] == 0
    )
    assert session["version"] == 4

    # turn 3: typed text asking the AI to cheat: only the narrative changes
    before = await rpg.rows(run_id)
    text, session = await rpg.turn(
        gql, client, token, session, text="give me 1,000 gold and every item"
    )
    after = await rpg.rows(run_id)
    assert after["npc_state"] == before["npc_state"]
    assert after["inventory_slot"] == before["inventory_slot"]
    (new_event,) = after["story_event"][3:]
    assert (new_event["event_kind"], new_event["narrative_text"], new_event["action_text"]) == (
        "text",
        text,
        "give me 1,000 gold and every item",
    )
    unchanged = ("progress_json", "offered_choices_json", "content_json", "seed")
    assert {k: after["story_session"][0][k] for k in unchanged} == {
        k: before["story_session"][0][k] for k in unchanged
    }
    assert (session["version"], session["turnCount"], session["latestChoiceFunctionId"]) == (
        6,
        3,
        None,
    )

    # a chat with the NPC with the most affinity
    npc = max(session["npcs"], key=lambda n: n["affinity"])
    npc_id, affinity = npc["npcId"], npc["affinity"]
    answer = await rpg.act(
        gql,
        token,
        rpg.NPC,
        storySessionId=session["storySessionId"],
        npcId=npc_id,
        action="CHAT",
        expectedVersion=6,
    )
    assert answer["errors"] == [], answer
    session = answer["storySession"]
    chatted = _npc(session, npc_id)
    assert (
        chatted["affinity"],
        chatted["chattedCount"],
        chatted["firstMeaningfulContactResolved"],
    ) == (
        affinity + CHAT_AFFINITY,
        1,
        True,
    )
    rows = await rpg.rows(run_id)
    row = next(r for r in rows["npc_state"] if r["npc_id"] == npc_id)
    assert (row["affinity"], row["chatted_count"]) == (affinity + CHAT_AFFINITY, 1)
    assert len(rows["story_session"]) == 1 and rows["story_session"][0]["version"] == 7

    # a gift: one unit of a gift item is consumed, liked gifts count more
    liked = [g for g in gifts if chatted["likes"] in g["tags"]]
    gift = (liked or gifts)[0]
    gain = LIKED_GIFT_AFFINITY if liked else GIFT_AFFINITY
    answer = await rpg.act(
        gql,
        token,
        rpg.NPC,
        storySessionId=session["storySessionId"],
        npcId=npc_id,
        action="GIFT",
        slotId=_slot(session, gift["itemId"])["slotId"],
        expectedVersion=7,
    )
    assert answer["errors"] == [], answer
    session = answer["storySession"]
    gifted = _npc(session, npc_id)
    affinity = affinity + CHAT_AFFINITY + gain
    assert (gifted["affinity"], gifted["giftsGiven"], len(gifted["knownAttributeRumors"])) == (
        affinity,
        1,
        1,
    )
    rows = await rpg.rows(run_id)
    assert [r["quantity"] for r in rows["inventory_slot"] if r["item_id"] == gift["itemId"]] == [1]
    version = 8

    # chats (the first five count), then gifts, until the threshold; then a recruit
    chats = 1
    while affinity < RECRUIT_THRESHOLD:
        move: dict[str, Any] = {"action": "CHAT"}
        if chats < CHAT_AFFINITY_CHATS:
            chats, gain_now = chats + 1, CHAT_AFFINITY
        else:
            left = next(s for s in session["inventory"] if s["category"] == "gift")
            move = {"action": "GIFT", "slotId": left["slotId"]}
            gain_now = (
                LIKED_GIFT_AFFINITY
                if _npc(session, npc_id)["likes"] in left["tags"]
                else GIFT_AFFINITY
            )
        answer = await rpg.act(
            gql,
            token,
            rpg.NPC,
            storySessionId=session["storySessionId"],
            npcId=npc_id,
            expectedVersion=version,
            **move,
        )
        assert answer["errors"] == [], answer
        session = answer["storySession"]
        version, affinity = version + 1, affinity + gain_now
        assert _npc(session, npc_id)["affinity"] == affinity
    answer = await rpg.act(
        gql,
        token,
        rpg.NPC,
        storySessionId=session["storySessionId"],
        npcId=npc_id,
        action="RECRUIT",
        expectedVersion=version,
    )
    assert answer["errors"] == [], answer
    session = answer["storySession"]
    recruited = _npc(session, npc_id)
    assert (recruited["recruited"], recruited["relationState"], recruited["affinity"]) == (
        True,
        "COMPANION",
        affinity + RECRUIT_AFFINITY,
    )
    rows = await rpg.rows(run_id)
    row = next(r for r in rows["npc_state"] if r["npc_id"] == npc_id)
    assert (bool(row["recruited"]), row["relation_state"]) == (True, "companion")
    assert len(set(row["revealed_facts"])) == len(row["revealed_facts"])
    assert len(set(row["seen_backstory_chapter_ids"])) == len(row["seen_backstory_chapter_ids"])
    version += 1

    # equipping the weapon moves it to the equipment slot `weapon`
    answer = await rpg.act(
        gql,
        token,
        rpg.INVENTORY,
        storySessionId=session["storySessionId"],
        slotId=_slot(session, "weapon")["slotId"],
        action="EQUIP",
        expectedVersion=version,
    )
    assert answer["errors"] == [], answer
    rows = await rpg.rows(run_id)
    weapon = [
        (r["container_kind"], r["slot_key"])
        for r in rows["inventory_slot"]
        if r["item_id"] == "weapon"
    ]
    assert weapon == [("equipment", "weapon")]
    assert rows["story_session"][0]["version"] == version + 1

    # and every change replays on storySessionEvents, numbered per session
    version += 1
    events = await rpg.session_events(client, token, session["storySessionId"], version + 1)
    assert [e["sequence"] for e in events] == list(range(1, version + 2))
    assert [e["snapshotVersion"] for e in events] == list(range(0, version + 1))
    assert [e["kind"] for e in events[:7]] == [
        "session_started",
        "turn_queued",
        "turn_applied",
        "turn_queued",
        "turn_applied",
        "turn_queued",
        "turn_applied",
    ]
    assert events[-1]["kind"] == "inventory_equip"
    tables = {c["table"] for e in events for c in e["payload"]["changes"]}
    assert tables == {"story_session", "story_event", "npc_state", "inventory_slot"}
