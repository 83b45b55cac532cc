"""The big-fish operations the tests send, and a player that steers a run to its end
through the graph (frames over a WebSocket, inputs as mutations, ticks by hand)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from resolvers.big_fish.ticks import ManualTicks
from tests.fixtures import GraphQLClient
from tests.ws import GraphQLSocket

START = (
    "mutation($s: String!) { bigFishSessionStart(seedText: $s) { errors { code } "
    "session { sessionId stage } } }"
)
AUTOSAVE = (
    "mutation($s: ID!, $d: JSON!) { bigFishSessionAutosave(sessionId: $s, draft: $d) { "
    "errors { code message } session { sessionId progressPercent } } }"
)
GENERATE = (
    "mutation($s: ID!) { bigFishAssetsGenerate(sessionId: $s) { errors { code } taskIds "
    "session { slots { slot status } } } }"
)
SESSION = (
    "query($s: ID!) { bigFishSession(sessionId: $s) { publishReady publicationStatus "
    "publicWorkCode assetCoverage slots { slot assetKind level motionKey status assetUrl } } }"
)
PUBLISH = (
    "mutation($s: ID!) { bigFishWorkPublish(sessionId: $s) { errors { code } "
    "blockers { code partId } session { publicationStatus publicWorkCode publishReady } } }"
)
RUN_START = (
    "mutation($w: ID!) { bigFishRunStart(workId: $w) { errors { code } "
    "run { runId status tick } } }"
)
RUN_INPUT = (
    "mutation($r: ID!, $x: Float!, $y: Float!) { bigFishRunInput(runId: $r, x: $x, y: $y) "
    "{ errors { code } run { lastInputX lastInputY } } }"
)
FRAMES = (
    "subscription($r: ID!) { bigFishRunFrames(runId: $r) { runId tick status eaten "
    "player { x y mass level } fish { id level x y } } }"
)
EVENTS = (
    "subscription($s: ID!, $a: Int) { bigFishEvents(sessionId: $s, after: $a) { sequence "
    "kind publishReady blockers { code partId } } }"
)


def data(result: dict[str, Any], field: str) -> Any:
    assert "errors" not in result, result
    payload = result["data"][field]
    if isinstance(payload, dict) and "errors" in payload:
        assert payload["errors"] == [], payload
    return payload


async def next_frame(ws: GraphQLSocket) -> dict[str, Any]:
    (payload,) = await ws.next_payloads(1)
    assert "errors" not in payload, payload
    frame: dict[str, Any] = payload["data"]["bigFishRunFrames"]
    return frame


async def play(
    gql: GraphQLClient,
    ws: GraphQLSocket,
    token: str,
    run_id: str,
    ticks: dict[str, ManualTicks],
    policy: Callable[[dict[str, Any]], tuple[float, float]],
    limit: int = 300,
) -> list[dict[str, Any]]:
    """Steer by `policy` from each frame, one tick at a time, until the run ends; returns
    every frame received (the first is the world before any tick)."""
    frames = [await next_frame(ws)]
    while frames[-1]["status"] == "RUNNING" and len(frames) <= limit:
        x, y = policy(frames[-1])
        data(
            await gql.execute(RUN_INPUT, {"r": run_id, "x": x, "y": y}, token=token),
            "bigFishRunInput",
        )
        await ticks[run_id].advance(1)
        frames.append(await next_frame(ws))
    return frames
