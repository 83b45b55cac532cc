"""Who may see and change Match3D: anonymous callers are refused everything private, service
workers are FORBIDDEN, other users get NOT_FOUND for someone else's session, draft work or
run (their images and runs included), a refused write leaves no row, and the private
fields of a published work stay its author's."""

from __future__ import annotations

from typing import Any

import orjson

import schema.build  # noqa: F401
from db.tables.match3d import Match3dWorkProfile
from resolvers.auth.admin import issue_service_token
from tests.factories import match3d
from tests.factories.auth import make_user
from tests.factories.runs import every_table
from tests.fixtures import GraphQLClient

OPERATIONS: list[tuple[str, str]] = [
    ("query($s: ID!) { match3dSession(sessionId: $s) { sessionId } }", "session"),
    ("query($w: ID!) { match3dWork(workId: $w) { workId } }", "work"),
    (
        'mutation($s: ID!) { match3dSessionAutosave(input: {sessionId: $s, seedText: "mine"}) '
        "{ errors { code } } }",
        "session",
    ),
    (
        "mutation($s: ID!) { creationMessageSend(input: {playType: MATCH3D, sessionId: $s, "
        'text: "hello"}) { errors { code } } }',
        "session",
    ),
    ("mutation($w: ID!) { match3dWorkPublish(workId: $w) { errors { code } } }", "work"),
    ("mutation($w: ID!) { match3dWorkUpdate(workId: $w) { errors { code } } }", "work"),
    ("mutation($w: ID!) { match3dWorkUnpublish(workId: $w) { errors { code } } }", "work"),
    (
        'mutation($w: String!) { imageGenerate(input: {prompt: "a cup", '
        'entityKind: "match3d_work", '
        'entityId: $w, slot: "item:teacup", width: 64, height: 64}) { errors { code } } }',
        "work",
    ),
    (
        "mutation($w: ID!) { workCoverGenerate(playType: MATCH3D, workId: $w, "
        'prompt: "a cover") { errors { code } } }',
        "work",
    ),
    (
        "mutation($w: ID!) { runStart(input: {playType: MATCH3D, workId: $w, mode: TEST}) "
        "{ errors { code } } }",
        "work",
    ),
    (
        'mutation($r: ID!) { match3dRunPick(runId: $r, itemId: "teacup.0", '
        "expectedSnapshotVersion: 0) { errors { code } } }",
        "run",
    ),
]
ANONYMOUS_ONLY = [
    "{ viewer { match3dWorks { nodes { workId } } } }",
    "{ viewer { match3dSessions { nodes { sessionId } } } }",
    "mutation { match3dSessionStart { errors { code } } }",
]
NODE = "query($id: ID!) { node(id: $id) { ... on Match3dWork { workId title } } }"
RUN_NODE = "query($id: ID!) { node(id: $id) { ... on Match3dRun { runId pile { itemId } } } }"
PRIVATE = (
    "query($w: ID!) { match3dWork(workId: $w) { title sessionId generatedItemAssets "
    "publishReady publishBlockers { code } } }"
)


async def test_nobody_but_the_owner_reads_or_changes_a_session_draft_or_run(
    gql: GraphQLClient,
) -> None:
    # given an owner's publishable draft with generated item assets, and the owner's TEST run
    owner, intruder = await make_user(), await make_user()
    service = await issue_service_token(name="worker", days=1)
    work = await match3d.ready_work(gql, owner.access_token)
    await Match3dWorkProfile.update(
        {Match3dWorkProfile.generated_item_assets_json: orjson.dumps([{"itemId": "x"}]).decode()}
    ).where(Match3dWorkProfile.profile_id == work["workId"])
    run = await match3d.start_run(gql, owner.access_token, work["workId"], mode="TEST")
    ids = {"s": work["sessionId"], "w": work["workId"], "r": run["runId"]}
    before = await every_table()
    for document, target in OPERATIONS:
        variables: dict[str, Any] = {target[0]: ids[target[0]]}
        # anonymous callers: UNAUTHENTICATED
        anonymous = await gql.execute(document, variables)
        assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", document
        # service workers: FORBIDDEN
        worker = await gql.execute(document, variables, token=service.token)
        assert worker["errors"][0]["extensions"]["code"] == "FORBIDDEN", document
        # other users: NOT_FOUND, as if it did not exist
        other = await gql.execute(document, variables, token=intruder.access_token)
        assert other["errors"][0]["extensions"]["code"] == "NOT_FOUND", document
    for document in ANONYMOUS_ONLY:
        refused = await gql.execute(document)
        assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", document
    # then nothing was written by any refusal
    assert await every_table() == before
    # and the draft and the run are no nodes for others, nor in their lists
    for query, node_id in ((NODE, work["id"]), (RUN_NODE, run["id"])):
        found = await gql.execute(query, {"id": node_id}, token=intruder.access_token)
        assert found["data"]["node"] is None
        mine = await gql.execute(query, {"id": node_id}, token=owner.access_token)
        assert mine["data"]["node"] is not None
    listed = await gql.execute(ANONYMOUS_ONLY[0], token=intruder.access_token)
    assert listed["data"]["viewer"]["match3dWorks"]["nodes"] == []
    # once published, anyone may read the work, but not its private fields
    assert (await match3d.publish(gql, owner.access_token, work["workId"]))["errors"] == []
    for token, expected in (
        (intruder.access_token, ("Attic", None, None, True, [])),
        (owner.access_token, ("Attic", work["sessionId"], [{"itemId": "x"}], True, [])),
    ):
        found = (await gql.execute(PRIVATE, {"w": work["workId"]}, token=token))["data"]
        public = found["match3dWork"]
        assert (
            public["title"],
            public["sessionId"],
            public["generatedItemAssets"],
            public["publishReady"],
            public["publishBlockers"],
        ) == expected
    by_node = await gql.execute(NODE, {"id": work["id"]})
    assert by_node["data"]["node"] == {"workId": work["workId"], "title": "Attic"}
