"""Visual novels for tests, through GraphQL: start a session, autosave, read, publish,
bind images, and play runs (choices, text turns, regenerations, runtime events)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from resolvers.visual_novel.plugin import EXAMPLE_DRAFT
from tests.factories.puzzle import bind_image
from tests.fixtures import GraphQLClient
from tests.ws import graphql_socket

WORK_FIELDS = """
  id workId playType title summary coverUrl tags publicationStatus publishedAt playCount
  publicWorkCode sessionId sourceAssetIds publishReady textModeEnabled characters endings
  publishBlockers { code field partId message }
  scenes { sceneId title phaseId text characterIds choices imageUrl }
"""
SESSION_FIELDS = """
  sessionId playType seedText stage visualNovelStage sourceMode sourceAssetIds progress
  currentTurn visualNovelDraft pendingAction lastAssistantReply publishedWorkId
"""
PAYLOAD = (
    "errors { code field message } session { " + SESSION_FIELDS + " } work { " + WORK_FIELDS + " }"
)
START = (
    "mutation($i: VisualNovelSessionStartInput) { visualNovelSessionStart(input: $i) { "
    + PAYLOAD
    + " } }"
)
AUTOSAVE = (
    "mutation($i: VisualNovelSessionAutosaveInput!) { visualNovelSessionAutosave(input: $i) { "
    + PAYLOAD
    + " } }"
)
SESSION = "query($s: ID!) { visualNovelSession(sessionId: $s) { " + SESSION_FIELDS + " } }"
WORK = "query($w: ID!) { visualNovelWork(workId: $w) { " + WORK_FIELDS + " } }"
PUBLICATION = (
    "errors { code field message } blockers { code field partId message } work { "
    + WORK_FIELDS
    + " }"
)
PUBLISH = "mutation($w: ID!) { visualNovelWorkPublish(workId: $w) { " + PUBLICATION + " } }"
UNPUBLISH = (
    "mutation($w: ID!) { visualNovelWorkUnpublish(workId: $w) { errors { code field message } "
    "work { " + WORK_FIELDS + " } } }"
)
RUN_FIELDS = """
  id runId status reason snapshotVersion mode
  ... on VisualNovelRun { currentSceneId currentPhaseId visibleCharacterIds flags metrics
    availableChoices { choiceId label } narrative turnIndex endingId textModeEnabled
    pendingTaskId
    history { entryId turnIndex source actionText steps snapshotBeforeHash snapshotAfterHash } }
"""
RUN_START = (
    "mutation($i: RunStartInput!) { runStart(input: $i) { errors { code field message } "
    "run { " + RUN_FIELDS + " } } }"
)
ACTION_PAYLOAD = (
    "{ errors { code field message } currentSnapshotVersion run { " + RUN_FIELDS + " } }"
)
CHOOSE = (
    "mutation($r: ID!, $c: ID!, $v: Int!) { visualNovelRunChoose(runId: $r, choiceId: $c, "
    "expectedSnapshotVersion: $v) " + ACTION_PAYLOAD + " }"
)
SAY = (
    "mutation($r: ID!, $t: String!, $v: Int!) { visualNovelRunSay(runId: $r, text: $t, "
    "expectedSnapshotVersion: $v) " + ACTION_PAYLOAD + " }"
)
REGENERATE = (
    "mutation($r: ID!, $n: Int!) { visualNovelRunRegenerate(runId: $r, turnIndex: $n) "
    + ACTION_PAYLOAD
    + " }"
)
NODE = "query($id: ID!) { node(id: $id) { ... on VisualNovelRun { " + RUN_FIELDS + " } } }"
EVENTS = (
    "subscription($r: ID!, $a: Int) { visualNovelRunEvents(runId: $r, after: $a) { sequence "
    "kind historyEntryId clientEventId payload } }"
)


async def data(gql: GraphQLClient, query: str, variables: Any, token: str | None) -> Any:
    """The root field's value (asserting no top-level error)."""
    result = await gql.execute(query, variables, token=token)
    assert "errors" not in result, result
    return next(iter(result["data"].values()))


async def start(gql: GraphQLClient, token: str, seed_text: str = "", **fields: Any) -> Any:
    return await data(gql, START, {"i": {"seedText": seed_text, **fields}}, token)


async def autosave(gql: GraphQLClient, token: str, session_id: str, **fields: Any) -> Any:
    return await data(gql, AUTOSAVE, {"i": {"sessionId": session_id, **fields}}, token)


async def work(gql: GraphQLClient, token: str, work_id: str) -> Any:
    return await data(gql, WORK, {"w": work_id}, token)


async def publish(gql: GraphQLClient, token: str, work_id: str) -> Any:
    return await data(gql, PUBLISH, {"w": work_id}, token)


async def ready_work(gql: GraphQLClient, token: str) -> dict[str, Any]:
    """A session with the example draft and every image bound (uploads): publishable."""
    started = await start(gql, token, "A night train")
    saved = await autosave(gql, token, started["session"]["sessionId"], draft=EXAMPLE_DRAFT)
    assert saved["errors"] == [], saved
    work_id = saved["work"]["workId"]
    for slot in ["cover"] + [f"scene:{s['sceneId']}" for s in EXAMPLE_DRAFT["scenes"]]:
        bound = await bind_image(
            gql, token, entity_kind="visual_novel_work", entity_id=work_id, slot=slot
        )
        assert bound["errors"] == [], bound
    found: dict[str, Any] = await work(gql, token, work_id)
    return found


async def start_run(gql: GraphQLClient, token: str, work_id: str, mode: str = "PLAY") -> Any:
    variables = {"i": {"playType": "VISUAL_NOVEL", "workId": work_id, "mode": mode}}
    payload = await data(gql, RUN_START, variables, token)
    assert payload["errors"] == [], payload
    return payload["run"]


async def choose(gql: GraphQLClient, token: str, run_id: str, choice: str, version: int) -> Any:
    return await gql.execute(CHOOSE, {"r": run_id, "c": choice, "v": version}, token=token)


async def say(gql: GraphQLClient, token: str, run_id: str, text: str, version: int) -> Any:
    return await gql.execute(SAY, {"r": run_id, "t": text, "v": version}, token=token)


async def regenerate(gql: GraphQLClient, token: str, run_id: str, turn: int) -> Any:
    return await gql.execute(REGENERATE, {"r": run_id, "n": turn}, token=token)


async def run_node(gql: GraphQLClient, token: str, global_id: str) -> Any:
    return await data(gql, NODE, {"id": global_id}, token)


async def runtime_events(
    client: httpx.AsyncClient, token: str, run_id: str, count: int, after: int = 0
) -> list[dict[str, Any]]:
    """The first `count` runtime events after `after`, read from `visualNovelRunEvents`
    with a deadline (live ones are waited for)."""
    async with graphql_socket(client, token) as ws, asyncio.timeout(15):
        await ws.subscribe(EVENTS, {"r": run_id, "a": after})
        payloads = await ws.next_payloads(count, timeout=15)
    return [payload["data"]["visualNovelRunEvents"] for payload in payloads]


TASK_TEXT = "subscription($t: ID!) { aiTaskEvents(taskId: $t, after: 0) { kind deltaText } }"
TASK_ENDS = ("COMPLETED", "FAILED", "CANCELLED")


async def streamed_text(client: httpx.AsyncClient, token: str, task_id: str) -> str:
    """The text an AI task streamed on `aiTaskEvents`, read until it ends (with a deadline)."""
    kinds: list[str] = []
    text = ""
    async with graphql_socket(client, token) as ws, asyncio.timeout(15):
        await ws.subscribe(TASK_TEXT, {"t": task_id})
        while not kinds or kinds[-1] not in TASK_ENDS:
            (payload,) = await ws.next_payloads(1, timeout=15)
            event = payload["data"]["aiTaskEvents"]
            kinds.append(event["kind"])
            text += event["deltaText"] or "" if event["kind"] == "TEXT_CHUNK" else ""
    assert kinds[-1] == "COMPLETED", kinds
    return text
