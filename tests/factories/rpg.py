"""RPG runtime for tests: a world draft with NPCs, and story sessions through GraphQL."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from db.tables.rpg import InventorySlot, NpcState, StoryEvent, StorySession
from resolvers.worlds.drafts import CustomWorldDraft, parse_draft
from resolvers.worlds.model import AnchorKey
from tests.fixtures import GraphQLClient
from tests.ws import graphql_socket

DRAFT: dict[str, Any] = {
    "worldName": "The Salt Archive",
    "subtitle": "A drowned library",
    "summary": "Scholars dive for books in a flooded city.",
    "themeMode": "fantasy",
    "anchors": {key.value: f"The world's {key.value}." for key in AnchorKey},
    "characters": [
        {"id": "mira", "name": "Mira", "role": "Diver", "playable": True},
        {
            "id": "oren",
            "name": "Oren",
            "role": "Archivist",
            "summary": "Keeps the index.",
            "homePlaceId": "stacks",
        },
        {"id": "tal", "name": "Tal", "role": "Smuggler"},
    ],
    "places": [{"id": "stacks", "name": "The Sunken Stacks"}, {"id": "pier", "name": "Pier"}],
    "chapters": [
        {
            "id": "ch1",
            "title": "First Dive",
            "characterIds": ["mira", "oren"],
            "placeIds": ["stacks"],
        },
        {"id": "ch2", "title": "The Pier", "characterIds": ["oren", "tal"], "placeIds": ["pier"]},
    ],
}


def draft() -> CustomWorldDraft:
    return parse_draft(DRAFT)


SESSION_FIELDS = """
storySessionId runtimeSessionId status version latestNarrativeText latestChoiceFunctionId
pendingTaskId turnCount
offeredChoices { functionId label }
npcs { npcId npcName affinity relationState helpUsed chattedCount giftsGiven recruited
  revealedFacts knownAttributeRumors firstMeaningfulContactResolved seenBackstoryChapterIds
  stance likes }
inventory { slotId containerKind slotKey itemId category name quantity rarity tags stackable
  stackKey equipmentSlotId sourceKind sourceReferenceId }
events { eventId eventKind narrativeText choiceFunctionId turnIndex actionText }
"""
RUN_START = (
    "mutation($i: RunStartInput!) { runStart(input: $i) { errors { code message } "
    "run { id runId status snapshotVersion ... on CustomWorldRun { storySession { "
    + SESSION_FIELDS
    + " } } } } }"
)
STORY_PAYLOAD = (
    "errors { code field message } currentSnapshotVersion storySession { " + SESSION_FIELDS + " }"
)
CONTINUE = (
    "mutation($i: StoryContinueInput!) { storyContinue(input: $i) { " + STORY_PAYLOAD + " } }"
)
NPC = (
    "mutation($i: StoryNpcInteractInput!) { storyNpcInteract(input: $i) { " + STORY_PAYLOAD + " } }"
)
INVENTORY = (
    "mutation($i: StoryInventoryActInput!) { storyInventoryAct(input: $i) { "
    + STORY_PAYLOAD
    + " } }"
)
SESSION = "query($s: ID!) { storySession(storySessionId: $s) { " + SESSION_FIELDS + " } }"
EVENTS = (
    "subscription($s: ID!, $a: Int) { storySessionEvents(storySessionId: $s, after: $a) "
    "{ sequence kind snapshotVersion payload } }"
)


async def start(gql: GraphQLClient, token: str, work_id: str, mode: str = "PLAY") -> dict[str, Any]:
    result = await gql.execute(
        RUN_START,
        {"i": {"playType": "CUSTOM_WORLD", "workId": work_id, "mode": mode}},
        token=token,
    )
    assert "errors" not in result, result
    payload: dict[str, Any] = result["data"]["runStart"]
    return payload


async def act(gql: GraphQLClient, token: str | None, query: str, **fields: Any) -> Any:
    result = await gql.execute(query, {"i": fields}, token=token)
    if "errors" in result:
        return {"top": result["errors"][0]["extensions"]["code"]}
    return next(iter(result["data"].values()))


async def story(gql: GraphQLClient, token: str, session_id: str) -> dict[str, Any]:
    result = await gql.execute(SESSION, {"s": session_id}, token=token)
    assert "errors" not in result, result
    found: dict[str, Any] = result["data"]["storySession"]
    return found


async def session_events(
    client: httpx.AsyncClient, token: str, session_id: str, count: int, after: int = 0
) -> list[dict[str, Any]]:
    """The first `count` events after `after` from `storySessionEvents` (with a deadline)."""
    async with graphql_socket(client, token) as ws, asyncio.timeout(15):
        await ws.subscribe(EVENTS, {"s": session_id, "a": after})
        payloads = await ws.next_payloads(count, timeout=15)
    return [payload["data"]["storySessionEvents"] for payload in payloads]


async def rows(runtime_session_id: str) -> dict[str, list[dict[str, Any]]]:
    """The session's rows of the four tables, in a stable order."""
    sessions = await (
        StorySession.select()
        .where(StorySession.runtime_session_id == runtime_session_id)
        .output(load_json=True)
    )
    ids = [row["story_session_id"] for row in sessions]
    events = (
        await StoryEvent.select()
        .where(StoryEvent.story_session_id.is_in(ids))
        .order_by(StoryEvent.turn_index)
        if ids
        else []
    )
    npcs = await (
        NpcState.select()
        .where(NpcState.runtime_session_id == runtime_session_id)
        .output(load_json=True)
    )
    slots = await (
        InventorySlot.select()
        .where(InventorySlot.runtime_session_id == runtime_session_id)
        .output(load_json=True)
    )
    return {
        "story_session": sessions,
        "story_event": events,
        "npc_state": sorted(npcs, key=lambda r: r["npc_id"]),
        "inventory_slot": sorted(slots, key=lambda r: (r["container_kind"], r["slot_key"])),
    }


async def published_world(gql: GraphQLClient, token: str) -> str:
    """A world made by the embedded agent (3 characters, the first playable, 3 places, 3
    chapters), with a cover, published: its work id."""
    from tests.factories import worlds

    ready = await worlds.ready_world(gql, token)
    published = await worlds.publish(gql, token, ready["profile_id"])
    assert published["errors"] == [], published
    return str(ready["profile_id"])


TASK_TEXT = "subscription($t: ID!) { aiTaskEvents(taskId: $t, after: 0) { kind deltaText } }"


async def streamed_text(client: httpx.AsyncClient, token: str, task_id: str) -> str:
    """The text an AI task streamed on `aiTaskEvents`, read until it ends (with a deadline)."""
    kinds: list[str] = []
    text = ""
    async with graphql_socket(client, token) as ws, asyncio.timeout(15):
        await ws.subscribe(TASK_TEXT, {"t": task_id})
        while not kinds or kinds[-1] not in ("COMPLETED", "FAILED", "CANCELLED"):
            (payload,) = await ws.next_payloads(1, timeout=15)
            event = payload["data"]["aiTaskEvents"]
            kinds.append(event["kind"])
            text += event["deltaText"] or "" if event["kind"] == "TEXT_CHUNK" else ""
    assert kinds[-1] == "COMPLETED", kinds
    return text


async def turn(
    gql: GraphQLClient,
    client: httpx.AsyncClient,
    token: str,
    session: dict[str, Any],
    **move: Any,
) -> tuple[str, dict[str, Any]]:
    """One story turn through the graph: queued, streamed, completed; (text, session)."""
    answer = await act(
        gql,
        token,
        CONTINUE,
        storySessionId=session["storySessionId"],
        expectedVersion=session["version"],
        **move,
    )
    assert answer["errors"] == [], answer
    queued = answer["storySession"]
    assert (queued["status"], queued["version"]) == ("NARRATING", session["version"] + 1)
    text = await streamed_text(client, token, queued["pendingTaskId"])
    return text, await story(gql, token, session["storySessionId"])


async def draft_session(user: Any) -> Any:
    """Without the app: the user's world with `DRAFT` (two NPCs, two places, two chapters),
    and a TEST story session on it (resolvers only; no worker answers its turns)."""
    from resolvers.rpg import actions
    from resolvers.rpg.store.story import sessions_by_runs
    from resolvers.runs.lifecycle import start_run
    from resolvers.worlds.plugin import CUSTOM_WORLD

    started = await CUSTOM_WORLD.start_session(viewer=user.principal, seed_text="")
    await CUSTOM_WORLD.autosave(
        viewer=user.principal, session_id=started.session_id, seed_text=None, draft=DRAFT
    )
    run = await start_run(
        viewer=user.principal, play_type="custom_world", work_id=started.work_id, mode="test"
    )
    session = (await sessions_by_runs([run.run_id]))[run.run_id]
    return await actions.story_session(
        viewer=user.principal, story_session_id=session.story_session_id
    )
