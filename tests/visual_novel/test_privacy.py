"""Who may see and change visual novels: anonymous callers are refused everything private,
service workers are FORBIDDEN, other users get NOT_FOUND for someone else's session, draft
work or run (its actions and its runtime events included), a refused write leaves no row,
and the private fields of a published work stay its author's."""

from __future__ import annotations

from typing import Any

import httpx

import schema.build  # noqa: F401
from resolvers.auth.admin import issue_service_token
from tests.factories import visual_novel as vn
from tests.factories.auth import make_user
from tests.factories.runs import every_table
from tests.fixtures import GraphQLClient
from tests.ws import graphql_socket

OPERATIONS: list[tuple[str, str]] = [
    ("query($s: ID!) { visualNovelSession(sessionId: $s) { sessionId } }", "session"),
    ("query($w: ID!) { visualNovelWork(workId: $w) { workId } }", "work"),
    (
        'mutation($s: ID!) { visualNovelSessionAutosave(input: {sessionId: $s, seedText: "x"}) '
        "{ errors { code } } }",
        "session",
    ),
    (
        "mutation($s: ID!) { creationMessageSend(input: {playType: VISUAL_NOVEL, sessionId: $s, "
        'text: "hello"}) { errors { code } } }',
        "session",
    ),
    ("mutation($w: ID!) { visualNovelWorkPublish(workId: $w) { errors { code } } }", "work"),
    ("mutation($w: ID!) { visualNovelWorkUpdate(workId: $w) { errors { code } } }", "work"),
    ("mutation($w: ID!) { visualNovelWorkUnpublish(workId: $w) { errors { code } } }", "work"),
    (
        'mutation($w: String!) { imageGenerate(input: {prompt: "a hall", '
        'entityKind: "visual_novel_work", entityId: $w, slot: "scene:platform", width: 64, '
        "height: 64}) { errors { code } } }",
        "work",
    ),
    (
        "mutation($w: ID!) { workCoverGenerate(playType: VISUAL_NOVEL, workId: $w, "
        'prompt: "a cover") { errors { code } } }',
        "work",
    ),
    (
        "mutation($w: ID!) { runStart(input: {playType: VISUAL_NOVEL, workId: $w, mode: TEST}) "
        "{ errors { code } } }",
        "work",
    ),
    (
        'mutation($r: ID!) { visualNovelRunChoose(runId: $r, choiceId: "read", '
        "expectedSnapshotVersion: 0) { errors { code } } }",
        "run",
    ),
    (
        'mutation($r: ID!) { visualNovelRunSay(runId: $r, text: "hi", '
        "expectedSnapshotVersion: 0) { errors { code } } }",
        "run",
    ),
    (
        "mutation($r: ID!) { visualNovelRunRegenerate(runId: $r, turnIndex: 1) "
        "{ errors { code } } }",
        "run",
    ),
]
ANONYMOUS_ONLY = [
    "mutation { visualNovelSessionStart { errors { code } } }",
    "{ viewer { visualNovelWorks { nodes { workId } } } }",
]
NODE = "query($id: ID!) { node(id: $id) { ... on VisualNovelWork { workId title } } }"
RUN_NODE = "query($id: ID!) { node(id: $id) { ... on VisualNovelRun { runId flags } } }"
PRIVATE = (
    "query($w: ID!) { visualNovelWork(workId: $w) { title sessionId sourceAssetIds "
    "publishReady publishBlockers { code } } }"
)


async def test_nobody_but_the_owner_reads_or_changes_a_session_draft_or_run(
    gql: GraphQLClient, client: httpx.AsyncClient
) -> None:
    # given an owner's publishable draft and the owner's TEST run one turn along
    owner, intruder = await make_user(), await make_user()
    service = await issue_service_token(name="worker", days=1)
    work = await vn.ready_work(gql, owner.access_token)
    run = await vn.start_run(gql, owner.access_token, work["workId"], mode="TEST")
    chosen = await vn.choose(gql, owner.access_token, run["runId"], "read", 0)
    assert chosen["data"]["visualNovelRunChoose"]["errors"] == []
    ids = {"s": work["sessionId"], "w": work["workId"], "r": run["runId"]}
    before = await every_table()
    for document, target in OPERATIONS:
        variables: dict[str, Any] = {target[0]: ids[target[0]]}
        anonymous = await gql.execute(document, variables)
        assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", document
        worker = await gql.execute(document, variables, token=service.token)
        assert worker["errors"][0]["extensions"]["code"] == "FORBIDDEN", document
        other = await gql.execute(document, variables, token=intruder.access_token)
        assert other["errors"][0]["extensions"]["code"] == "NOT_FOUND", document
    for document in ANONYMOUS_ONLY:
        refused = await gql.execute(document)
        assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", document
    # then nothing was written by any refusal
    assert await every_table() == before
    # and the draft and the run are no nodes for others
    for query, node_id in ((NODE, work["id"]), (RUN_NODE, run["id"])):
        found = await gql.execute(query, {"id": node_id}, token=intruder.access_token)
        assert found["data"]["node"] is None
        mine = await gql.execute(query, {"id": node_id}, token=owner.access_token)
        assert mine["data"]["node"] is not None
    listed = await gql.execute(ANONYMOUS_ONLY[1], token=intruder.access_token)
    assert listed["data"]["viewer"]["visualNovelWorks"]["nodes"] == []
    # and the run's runtime events are the owner's alone
    async with graphql_socket(client, intruder.access_token) as socket:
        await socket.subscribe(vn.EVENTS, {"r": run["runId"], "a": 0})
        (refused_events,) = await socket.next_payloads(1)
    assert refused_events["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    (event,) = await vn.runtime_events(client, owner.access_token, run["runId"], 1)
    assert (event["sequence"], event["kind"]) == (1, "turn_applied")
    # once published, anyone may read the work, but not its private fields
    assert (await vn.publish(gql, owner.access_token, work["workId"]))["errors"] == []
    for token, expected in (
        (intruder.access_token, ("Last Train", None, [], True, [])),
        (owner.access_token, ("Last Train", work["sessionId"], [], True, [])),
    ):
        public = (await gql.execute(PRIVATE, {"w": work["workId"]}, token=token))["data"]
        found_work = public["visualNovelWork"]
        assert (
            found_work["title"],
            found_work["sessionId"],
            found_work["sourceAssetIds"],
            found_work["publishReady"],
            found_work["publishBlockers"],
        ) == expected
