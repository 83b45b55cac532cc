"""Who may see and change square-hole works: anonymous callers are refused everything
private, service workers are forbidden, other users get NOT_FOUND for someone else's
session, draft work or run, and no refusal writes a row. A published work shows anyone
its public fields and nobody else its private ones."""

from __future__ import annotations

from typing import Any

import schema.build  # noqa: F401
from resolvers.auth.admin import issue_service_token
from resolvers.square_hole.plugin import SQUARE_HOLE
from tests.factories import square_hole
from tests.factories.auth import make_user
from tests.factories.play_types import ready_work
from tests.factories.runs import every_table
from tests.fixtures import GraphQLClient

OPERATIONS: list[tuple[str, str]] = [
    ("query($s: ID!) { squareHoleSession(sessionId: $s) { sessionId } }", "session"),
    ("query($w: ID!) { squareHoleWork(workId: $w) { workId } }", "work"),
    (
        'mutation($s: ID!) { squareHoleSessionAutosave(input: {sessionId: $s, seedText: "x"}) '
        "{ errors { code } } }",
        "session",
    ),
    (
        'mutation($s: ID!) { squareHoleSessionAutosave(input: {sessionId: $s, draft: {title: "x"}}) '
        "{ errors { code } } }",
        "session",
    ),
    (
        "mutation($s: ID!) { creationMessageSend(input: {playType: SQUARE_HOLE, sessionId: $s, "
        'text: "hello"}) { errors { code } } }',
        "session",
    ),
    ("mutation($w: ID!) { squareHoleWorkPublish(workId: $w) { errors { code } } }", "work"),
    ("mutation($w: ID!) { squareHoleWorkUpdate(workId: $w) { errors { code } } }", "work"),
    ("mutation($w: ID!) { squareHoleWorkUnpublish(workId: $w) { errors { code } } }", "work"),
    (
        "mutation($w: ID!) { runStart(input: {playType: SQUARE_HOLE, workId: $w, mode: TEST}) "
        "{ errors { code } } }",
        "work",
    ),
    (
        'mutation($w: ID!) { workCoverGenerate(playType: SQUARE_HOLE, workId: $w, prompt: "x") '
        "{ errors { code } } }",
        "work",
    ),
]
ANONYMOUS_ONLY = [
    "{ viewer { squareHoleWorks { nodes { workId } } } }",
    "{ viewer { squareHoleSessions { nodes { sessionId } } } }",
    "mutation { squareHoleSessionStart { errors { code } } }",
]
NODE = "query($id: ID!) { node(id: $id) { ... on SquareHoleWork { workId title } } }"
PRIVATE = "query($w: ID!) { squareHoleWork(workId: $w) { title sessionId publishBlockers { code } publishReady } }"


def _code(result: dict[str, Any]) -> str | None:
    if "errors" in result:
        return str(result["errors"][0]["extensions"]["code"])
    payload = next(iter(result["data"].values()))
    return str(payload["errors"][0]["code"]) if payload["errors"] else None


async def test_nobody_but_the_owner_reads_or_changes_a_session_or_draft(
    gql: GraphQLClient,
) -> None:
    # given an owner's publishable draft, another user, a service worker and no one
    owner, intruder = await make_user(), await make_user()
    service = await issue_service_token(name="worker", days=1)
    started = await ready_work(SQUARE_HOLE, gql, owner)
    ids = {"s": started.session_id, "w": started.work_id}
    before = await every_table()
    for document, target in OPERATIONS:
        variables = {"s": ids["s"]} if target == "session" else {"w": ids["w"]}
        # then anonymous callers are UNAUTHENTICATED, workers FORBIDDEN, others NOT_FOUND
        assert _code(await gql.execute(document, variables)) == "UNAUTHENTICATED", document
        worker = await gql.execute(document, variables, token=service.token)
        assert _code(worker) == "FORBIDDEN", document
        other = await gql.execute(document, variables, token=intruder.access_token)
        assert _code(other) == "NOT_FOUND", document
    for document in ANONYMOUS_ONLY:
        assert _code(await gql.execute(document)) == "UNAUTHENTICATED", document
    # and nothing was written by any refusal
    assert await every_table() == before
    # and a draft is no node for others, nor in their lists
    global_id = (await gql.execute(square_hole.WORK, ids, token=owner.access_token))["data"][
        "squareHoleWork"
    ]["id"]
    node = await gql.execute(NODE, {"id": global_id}, token=intruder.access_token)
    assert node["data"]["node"] is None
    for document in ANONYMOUS_ONLY[:2]:
        listed = await gql.execute(document, token=intruder.access_token)
        assert next(iter(listed["data"]["viewer"].values()))["nodes"] == []


async def test_a_published_work_hides_its_private_fields_from_others(gql: GraphQLClient) -> None:
    # given a published work
    owner, other = await make_user(), await make_user()
    started = await ready_work(SQUARE_HOLE, gql, owner)
    await SQUARE_HOLE.publish(viewer=owner.principal, work_id=started.work_id)
    # when its owner and another user read it
    mine = await gql.execute(PRIVATE, {"w": started.work_id}, token=owner.access_token)
    theirs = await gql.execute(PRIVATE, {"w": started.work_id}, token=other.access_token)
    # then only the owner sees the session and the blockers
    assert mine["data"]["squareHoleWork"] == {
        "title": "Everything Fits",
        "sessionId": started.session_id,
        "publishBlockers": [],
        "publishReady": True,
    }
    assert theirs["data"]["squareHoleWork"] == {
        "title": "Everything Fits",
        "sessionId": None,
        "publishBlockers": [],
        "publishReady": True,
    }
    # and another user's run is no node for them
    run = await square_hole.start_run(gql, owner.access_token, started.work_id)
    found = await gql.execute(
        "query($id: ID!) { node(id: $id) { id } }", {"id": run["id"]}, token=other.access_token
    )
    assert found["data"]["node"] is None
