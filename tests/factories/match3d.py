"""Match3D for tests, through GraphQL: start a session, autosave, read, publish, bind
uploaded images or generate them, and play runs."""

from __future__ import annotations

from typing import Any

from tests.factories.creation import send
from tests.factories.puzzle import bind_image
from tests.fixtures import GraphQLClient
from tests.waiting import eventually

WORK_FIELDS = """
  id workId playType title summary coverUrl theme tags publicationStatus publishedAt
  playCount likeCount publicWorkCode sessionId publishReady layers difficulty clearCount
  timeLimitSeconds generatedItemAssets
  publishBlockers { code field itemId message }
  items { itemId name count size modelSrc modelObjectKey cutImageAssetId cutImageUrl }
"""
SESSION_FIELDS = """
  sessionId playType seedText stage match3dStage progress currentTurn draft config
  lastAssistantReply publishedWorkId
  match3dDraft { title summary theme tags layers difficulty clearCount timeLimitSeconds
    items { itemId name count size modelSrc modelObjectKey imageSlot } }
  messages(first: 50) { nodes { messageId role kind text } }
  latestOperation { operationId status errorMessage warningMessage replyFormat taskId }
"""
PAYLOAD = (
    "errors { code field message } session { " + SESSION_FIELDS + " } work { " + WORK_FIELDS + " }"
)
START = (
    "mutation($i: Match3dSessionStartInput) { match3dSessionStart(input: $i) { " + PAYLOAD + " } }"
)
AUTOSAVE = (
    "mutation($i: Match3dSessionAutosaveInput!) { match3dSessionAutosave(input: $i) { "
    + PAYLOAD
    + " } }"
)
SESSION = "query($s: ID!) { match3dSession(sessionId: $s) { " + SESSION_FIELDS + " } }"
WORK = "query($w: ID!) { match3dWork(workId: $w) { " + WORK_FIELDS + " } }"
PUBLICATION = (
    "errors { code field message } blockers { code field itemId message } work { "
    + WORK_FIELDS
    + " }"
)
PUBLISH = "mutation($w: ID!) { match3dWorkPublish(workId: $w) { " + PUBLICATION + " } }"
UPDATE = "mutation($w: ID!) { match3dWorkUpdate(workId: $w) { " + PUBLICATION + " } }"
UNPUBLISH = (
    "mutation($w: ID!) { match3dWorkUnpublish(workId: $w) { errors { code field message } "
    "work { " + WORK_FIELDS + " } } }"
)
RUN_FIELDS = """
  id runId status reason snapshotVersion elapsedMs durationLimitMs
  ... on Match3dRun { side layers traySize clearCount clearedItemCount totalItemCount
    pile { itemId setItemId layer row col covered } tray { itemId setItemId }
    items { setItemId name size modelSrc cutImageUrl } }
"""
RUN_START = (
    "mutation($i: RunStartInput!) { runStart(input: $i) { errors { code field message } "
    "run { " + RUN_FIELDS + " } } }"
)
PICK = (
    "mutation($r: ID!, $i: ID!, $v: Int!) { match3dRunPick(runId: $r, itemId: $i, "
    "expectedSnapshotVersion: $v) { errors { code field message } currentSnapshotVersion "
    "run { " + RUN_FIELDS + " } } }"
)


def items(*names: str, count: int = 3) -> list[dict[str, Any]]:
    """Draft items for autosave (new ids: the server gives them)."""
    return [{"name": name, "count": count, "size": 1.0} for name in names]


def draft(**fields: Any) -> dict[str, Any]:
    """A whole draft for autosave: four items, two layers, unless `fields` say otherwise."""
    return {
        "title": "Attic",
        "summary": "Keepsakes",
        "theme": "attic",
        "tags": ["cozy"],
        "items": items("Teacup", "Lantern", "Button", "Key"),
        "layers": 2,
        "difficulty": 2,
        **fields,
    }


async def _payload(gql: GraphQLClient, query: str, variables: Any, token: str, field: str) -> Any:
    result = await gql.execute(query, variables, token=token)
    assert "errors" not in result, result
    return result["data"][field]


async def start(gql: GraphQLClient, token: str, seed_text: str = "") -> dict[str, Any]:
    payload: dict[str, Any] = await _payload(
        gql, START, {"i": {"seedText": seed_text}}, token, "match3dSessionStart"
    )
    assert payload["errors"] == [], payload
    return payload


async def autosave(
    gql: GraphQLClient,
    token: str,
    session_id: str,
    *,
    seed_text: str | None = None,
    draft: dict[str, Any] | None = None,
) -> dict[str, Any]:
    given: dict[str, Any] = {"sessionId": session_id}
    if seed_text is not None:
        given["seedText"] = seed_text
    if draft is not None:
        given["draft"] = draft
    payload: dict[str, Any] = await _payload(
        gql, AUTOSAVE, {"i": given}, token, "match3dSessionAutosave"
    )
    return payload


async def session(gql: GraphQLClient, token: str, session_id: str) -> dict[str, Any]:
    found: dict[str, Any] = await _payload(gql, SESSION, {"s": session_id}, token, "match3dSession")
    return found


async def work(gql: GraphQLClient, token: str, work_id: str) -> dict[str, Any]:
    found: dict[str, Any] = await _payload(gql, WORK, {"w": work_id}, token, "match3dWork")
    return found


async def publish(gql: GraphQLClient, token: str, work_id: str, *, update: bool = False) -> Any:
    field = "match3dWorkUpdate" if update else "match3dWorkPublish"
    return await _payload(gql, UPDATE if update else PUBLISH, {"w": work_id}, token, field)


async def turn(gql: GraphQLClient, token: str, session_id: str, text: str) -> dict[str, Any]:
    """Send a message and wait until its turn finished; returns the session then."""
    sent = await send(gql, token, session_id, text, play_type="MATCH3D")
    assert sent["errors"] == [], sent
    operation_id = sent["operation"]["operationId"]

    async def probe() -> dict[str, Any]:
        return await session(gql, token, session_id)

    return dict(
        await eventually(
            probe,
            lambda found: (
                found["latestOperation"]["operationId"] == operation_id
                and found["latestOperation"]["status"] != "RUNNING"
            ),
        )
    )


async def bind_everything(gql: GraphQLClient, token: str, found_work: dict[str, Any]) -> None:
    """Bind uploaded public images to the cover and every item's `item:<itemId>` slot."""
    work_id = found_work["workId"]
    slots = ["cover"] + [f"item:{item['itemId']}" for item in found_work["items"]]
    for slot in slots:
        bound = await bind_image(
            gql, token, entity_kind="match3d_work", entity_id=work_id, slot=slot
        )
        assert bound["errors"] == [], bound


async def ready_work(gql: GraphQLClient, token: str, **fields: Any) -> dict[str, Any]:
    """A session with a whole draft and every image bound: publishable."""
    started = await start(gql, token, "An attic")
    saved = await autosave(gql, token, started["session"]["sessionId"], draft=draft(**fields))
    assert saved["errors"] == [], saved
    await bind_everything(gql, token, saved["work"])
    return await work(gql, token, saved["work"]["workId"])


async def start_run(gql: GraphQLClient, token: str, work_id: str, mode: str = "PLAY") -> Any:
    variables = {"i": {"playType": "MATCH3D", "workId": work_id, "mode": mode}}
    payload = await _payload(gql, RUN_START, variables, token, "runStart")
    assert payload["errors"] == [], payload
    return payload["run"]


async def pick(gql: GraphQLClient, token: str, run_id: str, item_id: str, version: int) -> Any:
    variables = {"r": run_id, "i": item_id, "v": version}
    return await gql.execute(PICK, variables, token=token)
