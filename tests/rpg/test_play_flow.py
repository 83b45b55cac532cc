"""Part 2 through the real ASGI app: a quest accepted from an NPC, progressed by a battle
won (a level up, rewards in the inventory) and turned in; a battle lost; a treasure opened;
the rows of every table checked after each step, and the changes on storySessionEvents."""

from __future__ import annotations

from typing import Any

import httpx

import schema.build  # noqa: F401
from db.tables.rpg import StorySession
from tests.factories import rpg, rpg_play
from tests.factories.auth import make_user
from tests.fixtures import GraphQLClient


async def _do(gql: GraphQLClient, token: str, query: str, **fields: Any) -> dict[str, Any]:
    answer = await rpg.act(gql, token, query, **fields)
    assert answer["errors"] == [], answer
    session: dict[str, Any] = answer["storySession"]
    return session


async def _fight(
    gql: GraphQLClient, token: str, session: dict[str, Any], target: str
) -> dict[str, Any]:
    """Start a battle against `target` and attack (a skill first) until it ends."""
    session = await _do(
        gql,
        token,
        rpg_play.BATTLE_START,
        storySessionId=session["storySessionId"],
        targetNpcId=target,
        expectedVersion=session["version"],
    )
    battle = session["battles"][-1]
    assert (battle["status"], battle["lastOutcome"], battle["version"]) == (
        "ACTIVE",
        "STARTED",
        0,
    )
    action = "SKILL"
    while session["battles"][-1]["status"] == "ACTIVE":
        session = await _do(
            gql,
            token,
            rpg_play.BATTLE_ACT,
            battleId=battle["battleId"],
            action=action,
            expectedVersion=session["version"],
        )
        action = "ATTACK"
    return session


def _draughts(session: dict[str, Any]) -> int:
    return sum(s["quantity"] for s in session["inventory"] if s["itemId"] == "healing_draught")


async def test_a_quest_is_accepted_progressed_by_a_battle_won_and_turned_in(
    gql: GraphQLClient, client: httpx.AsyncClient
) -> None:
    # given a player's session of a published world (hostiles of levels 1, 2, 3)
    creator, player = await make_user(), await make_user()
    token = player.access_token
    work_id = await rpg.published_world(gql, creator.access_token)
    session = (await rpg.start(gql, token, work_id))["run"]["storySession"]
    sid, run_id = session["storySessionId"], session["runtimeSessionId"]
    read = await gql.execute(rpg_play.READ, {"s": sid}, token=token)
    session = read["data"]["storySession"]
    content = session["derivedContent"]
    quest = next(q for q in content["quests"] if q["objective"]["kind"] == "defeat")
    target = quest["objective"]["targetId"]
    strongest = content["hostiles"][-1]
    assert (target, strongest["level"], strongest["experienceReward"]) == (
        content["hostiles"][0]["npcId"],
        3,
        75,
    )
    draughts = _draughts(session)
    # when the player accepts the quest from its NPC
    session = await _do(
        gql,
        token,
        rpg_play.QUEST_ACCEPT,
        storySessionId=sid,
        npcId=quest["issuerNpcId"],
        expectedVersion=0,
    )
    # then it is active, with one log row
    (accepted,) = session["quests"]
    assert (accepted["questKey"], accepted["status"], accepted["progress"]) == (
        quest["questId"],
        "ACTIVE",
        0,
    )
    assert session["questLogs"] == [
        {"eventKind": "ACCEPTED", "statusAfter": "ACTIVE", "signalKind": None, "stepProgress": None}
    ]
    rows = await rpg_play.play_rows(run_id, player.user_id)
    assert [len(rows[t]) for t in rows] == [0, 0, 1, 1, 0, 0]
    # when the player beats the strongest hostile (75 XP: still level 1)
    session = await _fight(gql, token, session, strongest["npcId"])
    won = session["battles"][-1]
    assert (won["status"], won["lastOutcome"], won["targetHp"]) == ("WON", "VICTORY", 0)
    assert session["playerProgression"] == {
        "level": 1,
        "currentLevelXp": 75,
        "totalXp": 75,
        "xpToNextLevel": 25,
        "pendingLevelUps": 0,
        "lastGrantedSource": "HOSTILE_DEFEAT",
    }
    assert _draughts(session) == draughts + 1
    assert session["quests"][0]["status"] == "ACTIVE"
    # and the quest's target (25 XP: level 2)
    session = await _fight(gql, token, session, target)
    assert session["battles"][-1]["status"] == "WON"
    # then the player levelled up, the reward is in the backpack, the quest completed
    assert session["playerProgression"] == {
        "level": 2,
        "currentLevelXp": 0,
        "totalXp": 100,
        "xpToNextLevel": 200,
        "pendingLevelUps": 1,
        "lastGrantedSource": "HOSTILE_DEFEAT",
    }
    assert _draughts(session) == draughts + 2
    (done,) = session["quests"]
    assert (done["status"], done["progress"], done["completionNotified"]) == (
        "COMPLETED",
        1,
        True,
    )
    assert [log["eventKind"] for log in session["questLogs"]] == [
        "ACCEPTED",
        "PROGRESSED",
        "COMPLETED",
    ]
    assert session["questLogs"][1]["signalKind"] == "defeat"
    rows = await rpg_play.play_rows(run_id, player.user_id)
    assert [b["status"] for b in rows["battle_state"]] == ["won", "won"]
    assert rows["player_progression"][0]["total_xp"] == 100
    chapters = rows["chapter_progression"]
    assert sum(c["actual_hostile_xp"] for c in chapters) <= 100
    assert all(c["chapter_id"].startswith(f"{work_id}:") for c in chapters)
    # when the player turns the quest in
    session = await _do(
        gql,
        token,
        rpg_play.QUEST_TURN_IN,
        storySessionId=sid,
        questKey=quest["questId"],
        expectedVersion=session["version"],
    )
    # then its XP and items are granted, and it is turned in
    assert session["quests"][0]["status"] == "TURNED_IN"
    assert session["playerProgression"] == {
        "level": 2,
        "currentLevelXp": 50,
        "totalXp": 150,
        "xpToNextLevel": 150,
        "pendingLevelUps": 1,
        "lastGrantedSource": "QUEST_TURN_IN",
    }
    assert _draughts(session) == draughts + 4
    assert session["questLogs"][-1] == {
        "eventKind": "TURNED_IN",
        "statusAfter": "TURNED_IN",
        "signalKind": None,
        "stepProgress": None,
    }
    rows = await rpg_play.play_rows(run_id, player.user_id)
    assert [q["status"] for q in rows["quest_record"]] == ["turned_in"]
    assert len(rows["quest_log"]) == 4
    # and every change was on storySessionEvents
    events = await rpg.session_events(client, token, sid, 1 + session["version"])
    kinds = [e["kind"] for e in events]
    assert kinds[:3] == ["session_started", "quest_accept", "battle_start"]
    assert kinds[-1] == "quest_turn_in"
    tables = {c["table"] for e in events for c in (e["payload"].get("changes") or [])}
    assert {"battle_state", "quest_record", "quest_log", "player_progression"} <= tables


async def test_a_battle_lost_leaves_the_player_at_1_hp_and_grants_nothing(
    gql: GraphQLClient,
) -> None:
    # given a player at 5 hp
    creator, player = await make_user(), await make_user()
    token = player.access_token
    work_id = await rpg.published_world(gql, creator.access_token)
    session = (await rpg.start(gql, token, work_id))["run"]["storySession"]
    sid, run_id = session["storySessionId"], session["runtimeSessionId"]
    await StorySession.update({StorySession.vitals_json: '{"hp": 5}'}).where(
        StorySession.story_session_id == sid
    )
    hostile = f"hostile_{session['offeredChoices'][0]['functionId'].split(':')[1]}"
    session = await _do(
        gql,
        token,
        rpg_play.BATTLE_START,
        storySessionId=sid,
        targetNpcId=hostile,
        expectedVersion=0,
    )
    battle_id = session["battles"][0]["battleId"]
    # when the player attacks and the hostile strikes back
    session = await _do(
        gql, token, rpg_play.BATTLE_ACT, battleId=battle_id, action="ATTACK", expectedVersion=1
    )
    # then the battle is lost, the player at 1 hp, nothing granted
    lost = session["battles"][0]
    assert (lost["status"], lost["lastOutcome"], lost["playerHp"]) == ("LOST", "DEFEAT", 1)
    assert session["vitals"]["hp"] == 1
    assert session["playerProgression"] is None
    rows = await rpg_play.play_rows(run_id, player.user_id)
    assert rows["player_progression"] == [] and rows["chapter_progression"] == []
    assert rows["battle_state"][0]["player_hp"] == 1


async def test_a_treasure_opened_grants_its_rewards_once(gql: GraphQLClient) -> None:
    # given a player's session and an encounter
    creator, player = await make_user(), await make_user()
    token = player.access_token
    work_id = await rpg.published_world(gql, creator.access_token)
    session = (await rpg.start(gql, token, work_id))["run"]["storySession"]
    sid, run_id = session["storySessionId"], session["runtimeSessionId"]
    read = await gql.execute(rpg_play.READ, {"s": sid}, token=token)
    encounter = read["data"]["storySession"]["derivedContent"]["encounters"][0]
    draughts = _draughts(session)
    # when the player inspects it, then opens it
    session = await _do(
        gql,
        token,
        rpg_play.TREASURE,
        storySessionId=sid,
        encounterId=encounter["encounterId"],
        action="INSPECT",
        expectedVersion=0,
    )
    assert session["treasureRecords"][0]["storyHint"].startswith(encounter["name"])
    session = await _do(
        gql,
        token,
        rpg_play.TREASURE,
        storySessionId=sid,
        encounterId=encounter["encounterId"],
        action="OPEN",
        expectedVersion=1,
    )
    # then one record per action, its rewards granted (hp and mana stay at their maximum)
    assert [t["action"] for t in session["treasureRecords"]] == ["INSPECT", "OPEN"]
    opened = session["treasureRecords"][1]
    assert (opened["rewardHp"], opened["rewardMana"], opened["rewardCurrency"]) == (
        10,
        5,
        encounter["rewardCurrency"],
    )
    assert session["vitals"] == {
        "hp": 100,
        "maxHp": 100,
        "mana": 30,
        "maxMana": 30,
        "currency": encounter["rewardCurrency"],
    }
    assert _draughts(session) == draughts + 1
    rows = await rpg_play.play_rows(run_id, player.user_id)
    assert [r["action"] for r in rows["treasure_record"]] == ["inspect", "open"]
