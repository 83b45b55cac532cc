"""Square-hole works for tests, through GraphQL: open the form, autosave, talk to the agent,
publish, start runs and drop shapes."""

from __future__ import annotations

from typing import Any

from tests.factories.creation import send
from tests.fixtures import GraphQLClient
from tests.waiting import eventually

CONFIG_FIELDS = """
  shapes { shapeId name } holes { holeId name }
  rules { shape hole accepts points } defaultRule { accepts points } targetScore
"""
WORK_FIELDS = (
    """
  id workId playType title summary coverUrl theme tags publicationStatus publishedAt
  playCount likeCount publicWorkCode sessionId publishReady twistRule shapeCount difficulty
  publishBlockers { code field message }
  config { """
    + CONFIG_FIELDS
    + " }"
)
SESSION_FIELDS = (
    """
  sessionId playType seedText stage squareHoleStage progress currentTurn draft
  lastAssistantReply publishedWorkId
  squareHoleDraft { title description theme tags twistRule difficulty shapeCount
    config { """
    + CONFIG_FIELDS
    + """ } }
  config { """
    + CONFIG_FIELDS
    + """ }
  messages(first: 50) { nodes { messageId role kind text } }
  latestOperation { operationId status errorMessage warningMessage replyFormat taskId }
"""
)
PAYLOAD = (
    "errors { code field message } session { " + SESSION_FIELDS + " } work { " + WORK_FIELDS + " }"
)
START = (
    "mutation($i: SquareHoleSessionStartInput) { squareHoleSessionStart(input: $i) { "
    + PAYLOAD
    + " } }"
)
AUTOSAVE = (
    "mutation($i: SquareHoleSessionAutosaveInput!) { squareHoleSessionAutosave(input: $i) { "
    + PAYLOAD
    + " } }"
)
SESSION = "query($s: ID!) { squareHoleSession(sessionId: $s) { " + SESSION_FIELDS + " } }"
WORK = "query($w: ID!) { squareHoleWork(workId: $w) { " + WORK_FIELDS + " } }"
PUBLICATION = (
    "errors { code field message } blockers { code field message } work { " + WORK_FIELDS + " }"
)
PUBLISH = "mutation($w: ID!) { squareHoleWorkPublish(workId: $w) { " + PUBLICATION + " } }"
UPDATE = "mutation($w: ID!) { squareHoleWorkUpdate(workId: $w) { " + PUBLICATION + " } }"
UNPUBLISH = (
    "mutation($w: ID!) { squareHoleWorkUnpublish(workId: $w) { errors { code field message } "
    "work { " + WORK_FIELDS + " } } }"
)
RUN_FIELDS = """
  id runId status reason snapshotVersion mode elapsedMs
  ... on SquareHoleRun { currentShapeId totalShapeCount completedShapeCount score targetScore
    shapes { shapeId } holes { holeId } drops { shapeId holeId accepted points } }
"""
RUN_START = (
    "mutation($i: RunStartInput!) { runStart(input: $i) { errors { code field message } "
    "run { " + RUN_FIELDS + " } } }"
)
DROP = (
    "mutation($r: ID!, $s: String!, $h: String!, $v: Int!) { squareHoleRunDrop(runId: $r, "
    "shapeId: $s, holeId: $h, expectedSnapshotVersion: $v) { errors { code field message } "
    "currentSnapshotVersion run { " + RUN_FIELDS + " } } }"
)


def draft_input(**changes: Any) -> dict[str, Any]:
    """The GraphQL input of a complete draft (the plugin's example), with `changes`."""
    from resolvers.square_hole.plugin import SQUARE_HOLE

    example = SQUARE_HOLE.example_draft()
    return {**example, **changes}


async def start(gql: GraphQLClient, token: str, seed_text: str = "") -> dict[str, Any]:
    result = await gql.execute(START, {"i": {"seedText": seed_text}}, token=token)
    assert "errors" not in result, result
    payload: dict[str, Any] = result["data"]["squareHoleSessionStart"]
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
    result = await gql.execute(AUTOSAVE, {"i": given}, token=token)
    assert "errors" not in result, result
    payload: dict[str, Any] = result["data"]["squareHoleSessionAutosave"]
    return payload


async def session(gql: GraphQLClient, token: str, session_id: str) -> dict[str, Any]:
    result = await gql.execute(SESSION, {"s": session_id}, token=token)
    assert "errors" not in result, result
    found: dict[str, Any] = result["data"]["squareHoleSession"]
    return found


async def turn(
    gql: GraphQLClient, token: str, session_id: str, text: str, timeout: float = 10
) -> dict[str, Any]:
    """Send a message and wait until its turn finished; returns the session then."""
    sent = await send(gql, token, session_id, text, play_type="SQUARE_HOLE")
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
            timeout=timeout,
        )
    )


async def publish(gql: GraphQLClient, token: str, work_id: str, *, update: bool = False) -> Any:
    result = await gql.execute(UPDATE if update else PUBLISH, {"w": work_id}, token=token)
    assert "errors" not in result, result
    return next(iter(result["data"].values()))


async def start_run(
    gql: GraphQLClient, token: str, work_id: str, mode: str = "PLAY"
) -> dict[str, Any]:
    result = await gql.execute(
        RUN_START,
        {"i": {"playType": "SQUARE_HOLE", "workId": work_id, "mode": mode}},
        token=token,
    )
    assert "errors" not in result, result
    payload: dict[str, Any] = result["data"]["runStart"]
    assert payload["errors"] == [], payload
    return payload["run"]


async def drop(
    gql: GraphQLClient, token: str, run_id: str, shape_id: str, hole_id: str, version: int
) -> dict[str, Any]:
    """The `squareHoleRunDrop` payload, or `{"top": code}` for a top-level error."""
    result = await gql.execute(
        DROP, {"r": run_id, "s": shape_id, "h": hole_id, "v": version}, token=token
    )
    if "errors" in result:
        return {"top": result["errors"][0]["extensions"]["code"]}
    payload: dict[str, Any] = result["data"]["squareHoleRunDrop"]
    return payload
