"""Puzzles for tests, through GraphQL: open the form, autosave, talk to the agent, bind
real uploaded images, publish."""

from __future__ import annotations

import itertools
from typing import Any

from strawberry.relay import GlobalID

from tests.factories.assets import BIND, upload
from tests.factories.assets import png_bytes as png
from tests.factories.creation import send
from tests.fixtures import GraphQLClient
from tests.waiting import eventually

_images = itertools.count(1)

WORK_FIELDS = """
  id workId playType title summary coverUrl theme tags publicationStatus publishedAt
  playCount likeCount publicWorkCode sessionId publishReady
  publishBlockers { code field levelId message }
  levels { levelId name gridSize imageAssetId imageUrl }
"""
SESSION_FIELDS = """
  sessionId playType seedText stage puzzleStage progress currentTurn draft lastAssistantReply
  puzzleDraft { title description theme tags levels { levelId name gridSize } }
  messages(first: 50) { nodes { messageId role kind text } }
  latestOperation { operationId status errorMessage warningMessage replyFormat taskId
    task { status text } }
"""
START = (
    "mutation($i: PuzzleSessionStartInput) { puzzleSessionStart(input: $i) { "
    "errors { code field message } session { "
    + SESSION_FIELDS
    + " } work { "
    + WORK_FIELDS
    + " } } }"
)
AUTOSAVE = (
    "mutation($i: PuzzleSessionAutosaveInput!) { puzzleSessionAutosave(input: $i) { "
    "errors { code field message } session { "
    + SESSION_FIELDS
    + " } work { "
    + WORK_FIELDS
    + " } } }"
)
SESSION = "query($s: ID!) { puzzleSession(sessionId: $s) { " + SESSION_FIELDS + " } }"
WORK = "query($w: ID!) { puzzleWork(workId: $w) { " + WORK_FIELDS + " } }"
PUBLICATION = (
    "errors { code field message } blockers { code field levelId message } work { "
    + WORK_FIELDS
    + " }"
)
PUBLISH = "mutation($w: ID!) { puzzleWorkPublish(workId: $w) { " + PUBLICATION + " } }"
UPDATE = "mutation($w: ID!) { puzzleWorkUpdate(workId: $w) { " + PUBLICATION + " } }"
UNPUBLISH = (
    "mutation($w: ID!) { puzzleWorkUnpublish(workId: $w) { errors { code field message } "
    "work { " + WORK_FIELDS + " } } }"
)


async def start(gql: GraphQLClient, token: str, seed_text: str = "") -> dict[str, Any]:
    """Open the form; returns the payload (session and work)."""
    result = await gql.execute(START, {"i": {"seedText": seed_text}}, token=token)
    assert "errors" not in result, result
    payload: dict[str, Any] = result["data"]["puzzleSessionStart"]
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
    payload: dict[str, Any] = result["data"]["puzzleSessionAutosave"]
    return payload


async def session(gql: GraphQLClient, token: str, session_id: str) -> dict[str, Any]:
    result = await gql.execute(SESSION, {"s": session_id}, token=token)
    assert "errors" not in result, result
    found: dict[str, Any] = result["data"]["puzzleSession"]
    return found


async def work(gql: GraphQLClient, token: str, work_id: str) -> dict[str, Any]:
    result = await gql.execute(WORK, {"w": work_id}, token=token)
    assert "errors" not in result, result
    found: dict[str, Any] = result["data"]["puzzleWork"]
    return found


async def turn(
    gql: GraphQLClient, token: str, session_id: str, text: str, timeout: float = 10
) -> dict[str, Any]:
    """Send a message and wait until its turn finished; returns the session then."""
    sent = await send(gql, token, session_id, text)
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
    return result["data"]["puzzleWorkUpdate" if update else "puzzleWorkPublish"]


async def bind_image(
    gql: GraphQLClient,
    token: str,
    *,
    entity_kind: str,
    entity_id: str,
    slot: str,
    access_policy: str = "PUBLIC_READ",
    data: bytes | None = None,
    content_type: str = "image/png",
) -> dict[str, Any]:
    """Upload a fresh PNG (or `data`) through the assets flow and bind it; returns the bind
    payload with the object's id."""
    asset = await upload(
        gql,
        token,
        data if data is not None else png(next(_images)),
        asset_kind="puzzle_image",
        access_policy=access_policy,
        content_type=content_type,
    )
    asset_object_id = GlobalID.from_id(asset["id"]).node_id
    result = await gql.execute(
        BIND,
        {
            "i": {
                "assetObjectId": asset_object_id,
                "entityKind": entity_kind,
                "entityId": entity_id,
                "slot": slot,
            }
        },
        token=token,
    )
    assert "errors" not in result, result
    payload: dict[str, Any] = result["data"]["assetObjectBind"]
    return {**payload, "assetObjectId": asset_object_id}


async def bind_everything(gql: GraphQLClient, token: str, found_work: dict[str, Any]) -> None:
    """Bind a public cover and an image to every level of the work's session draft."""
    work_id = found_work["workId"]
    bound = await bind_image(gql, token, entity_kind="puzzle_work", entity_id=work_id, slot="cover")
    assert bound["errors"] == [], bound
    for blocker in found_work["publishBlockers"]:
        if blocker["code"] == "LEVEL_IMAGE_MISSING":
            bound = await bind_image(
                gql,
                token,
                entity_kind="puzzle_level",
                entity_id=f"{work_id}.{blocker['levelId']}",
                slot="image",
            )
            assert bound["errors"] == [], bound


def levels(*sizes: int | None, names: list[str] | None = None) -> list[dict[str, Any]]:
    """Draft levels for autosave (new ids)."""
    return [
        {"name": (names[i] if names else f"Level {i + 1}"), "gridSize": size}
        for i, size in enumerate(sizes)
    ]
