"""AI tasks over GraphQL (HTTP): the life cycle, reads, refusals, security, query cost."""

from __future__ import annotations

from typing import Any

from strawberry import relay

from db.tables.ai_tasks import AiTask
from resolvers.ai_tasks import results, stage_transitions, transitions
from resolvers.ai_tasks.model import AiResultReferenceKind, AiTaskKind, AiTaskStageKind
from tests.factories.ai_tasks import (
    SERVICE,
    TWO_STAGES,
    append_words,
    make_streaming_task,
    make_task,
    row_counts,
)
from tests.factories.auth import make_user
from tests.fixtures import GraphQLClient

CREATE = """
mutation($i: AiTaskCreateInput!) { aiTaskCreate(input: $i) {
  errors { code field message } task { taskId status kind version stages { kind order status } }
} }"""
START = "mutation($t: ID!) { aiTaskStart(taskId: $t) { errors { code } task { status } } }"
STAGE_START = """
mutation($t: ID!, $s: AiTaskStageKind!) { aiTaskStageStart(taskId: $t, stageKind: $s) {
  errors { code field } stage { kind status order } task { status } } }"""
STAGE_COMPLETE = """
mutation($i: AiTaskStageCompleteInput!) { aiTaskStageComplete(input: $i) {
  errors { code field } stage { kind status textOutput warningMessages structuredPayload } } }"""
APPEND = """
mutation($i: AiTaskChunkAppendInput!) { aiTaskChunkAppend(input: $i) {
  errors { code field } appended chunk { chunkId sequence deltaText stageKind } } }"""
ATTACH = """
mutation($i: AiTaskResultAttachInput!) { aiTaskResultAttach(input: $i) {
  errors { code } attached result { resultRefId kind referenceId label } } }"""
COMPLETE = """
mutation($i: AiTaskCompleteInput!) { aiTaskComplete(input: $i) {
  errors { code message } task { status latestTextOutput latestStructuredPayload } } }"""
FAIL = """
mutation($i: AiTaskFailInput!) { aiTaskFail(input: $i) {
  errors { code } task { status failureMessage } } }"""
CANCEL = """
mutation($t: ID!) { aiTaskCancel(taskId: $t) { errors { code message } task { status } } }"""
GENERATE = """
mutation($i: AiTaskGenerateInput!) { aiTaskGenerate(input: $i) {
  errors { code field } task { taskId kind status sourceModule requestPayload } } }"""
TASK = """
query($t: ID!, $after: String) { aiTask(taskId: $t) {
  id taskId kind status requestLabel sourceModule text version failureMessage
  stages { kind order status textOutput chunkCount }
  chunks(first: 2, after: $after) {
    edges { cursor node { sequence deltaText stageKind chunkId } }
    pageInfo { hasNextPage endCursor } }
  results { resultRefId kind referenceId label }
  events(first: 50) { nodes { sequence kind status stageKind deltaText chunkSequence
    resultReference { resultRefId } } }
} }"""
LIST = """
query($status: AiTaskStatus, $kind: AiTaskKind, $first: Int, $after: String) {
  viewer { aiTasks(status: $status, kind: $kind, first: $first, after: $after) {
    edges { node { taskId status kind } } pageInfo { hasNextPage endCursor } } } }"""


def _data(result: dict[str, Any], field: str) -> Any:
    assert "errors" not in result, result
    return result["data"][field]


async def test_the_owner_creates_and_the_service_drives_a_task(
    gql: GraphQLClient, service_token: str
) -> None:
    # given a user who creates a task with two stages
    owner = await make_user()
    created = _data(
        await gql.execute(
            CREATE,
            {
                "i": {
                    "kind": "WORLD_DRAFT",
                    "requestLabel": "A windy island",
                    "sourceModule": "rpg",
                    "requestPayload": {"theme": "sea"},
                    "stages": [
                        {"kind": "PREPARE_PROMPT", "label": "Prepare"},
                        {"kind": "REQUEST_MODEL", "label": "Generate", "detail": "stream"},
                    ],
                }
            },
            token=owner.access_token,
        ),
        "aiTaskCreate",
    )
    assert created["errors"] == []
    task = created["task"]
    assert (task["status"], task["kind"], task["version"]) == ("PENDING", "WORLD_DRAFT", 1)
    assert task["stages"] == [
        {"kind": "PREPARE_PROMPT", "order": 1, "status": "PENDING"},
        {"kind": "REQUEST_MODEL", "order": 2, "status": "PENDING"},
    ]
    t = task["taskId"]

    # when the service drives it through every step
    async def service(query: str, variables: dict[str, Any], field: str) -> Any:
        payload = _data(await gql.execute(query, variables, token=service_token), field)
        assert payload["errors"] == [], payload
        return payload

    await service(START, {"t": t}, "aiTaskStart")
    await service(STAGE_START, {"t": t, "s": "PREPARE_PROMPT"}, "aiTaskStageStart")
    prepared = await service(
        STAGE_COMPLETE,
        {
            "i": {
                "taskId": t,
                "stageKind": "PREPARE_PROMPT",
                "textOutput": "prompt",
                "warningMessages": ["short"],
                "structuredPayload": {"tokens": 3},
            }
        },
        "aiTaskStageComplete",
    )
    assert prepared["stage"] == {
        "kind": "PREPARE_PROMPT",
        "status": "COMPLETED",
        "textOutput": "prompt",
        "warningMessages": ["short"],
        "structuredPayload": {"tokens": 3},
    }
    await service(STAGE_START, {"t": t, "s": "REQUEST_MODEL"}, "aiTaskStageStart")
    appended = []
    for chunk_id, text in [("a", "Salt "), ("b", "and "), ("a", "again "), ("c", "wind.")]:
        appended.append(
            await service(
                APPEND,
                {
                    "i": {
                        "taskId": t,
                        "stageKind": "REQUEST_MODEL",
                        "chunkId": chunk_id,
                        "deltaText": text,
                    }
                },
                "aiTaskChunkAppend",
            )
        )
    assert [(p["appended"], p["chunk"]["sequence"]) for p in appended] == [
        (True, 1),
        (True, 2),
        (False, 1),
        (True, 3),
    ]
    attached = await service(
        ATTACH,
        {
            "i": {
                "taskId": t,
                "resultRefId": "map",
                "kind": "ASSET_OBJECT",
                "referenceId": "asset-9",
                "label": "Map",
            }
        },
        "aiTaskResultAttach",
    )
    assert attached["attached"] is True
    await service(
        STAGE_COMPLETE, {"i": {"taskId": t, "stageKind": "REQUEST_MODEL"}}, "aiTaskStageComplete"
    )
    done = await service(
        COMPLETE, {"i": {"taskId": t, "structuredPayload": {"ok": True}}}, "aiTaskComplete"
    )
    assert done["task"] == {
        "status": "COMPLETED",
        "latestTextOutput": "Salt and wind.",
        "latestStructuredPayload": {"ok": True},
    }

    # then the owner reads everything back, chunks page by page
    first = _data(await gql.execute(TASK, {"t": t}, token=owner.access_token), "aiTask")
    assert first["taskId"] == t
    assert first["text"] == "promptSalt and wind."
    assert [(s["kind"], s["status"], s["chunkCount"]) for s in first["stages"]] == [
        ("PREPARE_PROMPT", "COMPLETED", 0),
        ("REQUEST_MODEL", "COMPLETED", 3),
    ]
    assert [e["node"]["deltaText"] for e in first["chunks"]["edges"]] == ["Salt ", "and "]
    assert first["chunks"]["pageInfo"]["hasNextPage"] is True
    rest = _data(
        await gql.execute(
            TASK,
            {"t": t, "after": first["chunks"]["pageInfo"]["endCursor"]},
            token=owner.access_token,
        ),
        "aiTask",
    )
    assert [e["node"]["deltaText"] for e in rest["chunks"]["edges"]] == ["wind."]
    assert rest["chunks"]["pageInfo"]["hasNextPage"] is False
    assert first["results"] == [
        {"resultRefId": "map", "kind": "ASSET_OBJECT", "referenceId": "asset-9", "label": "Map"}
    ]
    events = first["events"]["nodes"]
    assert [e["sequence"] for e in events] == list(range(1, 12))
    assert [e["kind"] for e in events] == [
        "CREATED",
        "STARTED",
        "STAGE_STARTED",
        "STAGE_COMPLETED",
        "STAGE_STARTED",
        "TEXT_CHUNK",
        "TEXT_CHUNK",
        "TEXT_CHUNK",
        "RESULT_ATTACHED",
        "STAGE_COMPLETED",
        "COMPLETED",
    ]
    assert [e["deltaText"] for e in events if e["kind"] == "TEXT_CHUNK"] == [
        "Salt ",
        "and ",
        "wind.",
    ]
    assert [e["chunkSequence"] for e in events if e["kind"] == "TEXT_CHUNK"] == [1, 2, 3]
    assert events[8]["resultReference"] == {"resultRefId": "map"}
    assert events[-1]["status"] == "COMPLETED"
    # and the global id works too, for node() and for the task's fields
    by_node = await gql.execute(
        "query($id: ID!) { node(id: $id) { ... on AiTask { taskId status } } }",
        {"id": first["id"]},
        token=owner.access_token,
    )
    assert by_node["data"]["node"] == {"taskId": t, "status": "COMPLETED"}
    by_global = _data(
        await gql.execute(TASK, {"t": first["id"]}, token=owner.access_token), "aiTask"
    )
    assert by_global["taskId"] == t


async def test_illegal_transitions_are_payload_errors_and_write_nothing(
    gql: GraphQLClient, service_token: str
) -> None:
    owner = await make_user()
    ordered = await make_task(owner, stages=TWO_STAGES)
    await transitions.start_task(viewer=SERVICE, task_id=ordered.task_id)
    cancelled = await make_streaming_task(owner)
    await transitions.cancel_task(viewer=owner.principal, task_id=cancelled.task_id)
    finished = await make_streaming_task(owner)
    await stage_transitions.complete_stage(
        viewer=SERVICE, task_id=finished.task_id, stage_kind=AiTaskStageKind.REQUEST_MODEL
    )
    counts = await row_counts()
    # completing a cancelled task
    result = await gql.execute(COMPLETE, {"i": {"taskId": cancelled.task_id}}, token=service_token)
    assert result["data"]["aiTaskComplete"]["errors"][0]["code"] == "TASK_FINISHED"
    assert result["data"]["aiTaskComplete"]["task"] is None
    # appending to a completed stage
    result = await gql.execute(
        APPEND,
        {
            "i": {
                "taskId": finished.task_id,
                "stageKind": "REQUEST_MODEL",
                "chunkId": "late",
                "deltaText": "late",
            }
        },
        token=service_token,
    )
    assert result["data"]["aiTaskChunkAppend"]["errors"] == [
        {"code": "STAGE_NOT_RUNNING", "field": "stageKind"}
    ]
    # starting stages out of order
    result = await gql.execute(
        STAGE_START, {"t": ordered.task_id, "s": "REQUEST_MODEL"}, token=service_token
    )
    assert result["data"]["aiTaskStageStart"]["errors"] == [
        {"code": "STAGE_OUT_OF_ORDER", "field": "stageKind"}
    ]
    # cancelling twice, failing a finished task, invalid input
    result = await gql.execute(CANCEL, {"t": cancelled.task_id}, token=owner.access_token)
    assert result["data"]["aiTaskCancel"]["errors"][0]["code"] == "TASK_FINISHED"
    result = await gql.execute(
        FAIL, {"i": {"taskId": cancelled.task_id, "message": "x"}}, token=service_token
    )
    assert result["data"]["aiTaskFail"]["errors"] == [{"code": "TASK_FINISHED"}]
    result = await gql.execute(
        CREATE,
        {"i": {"kind": "WORLD_DRAFT", "requestLabel": "", "sourceModule": "rpg"}},
        token=owner.access_token,
    )
    assert result["data"]["aiTaskCreate"]["errors"][0]["code"] == "LABEL_INVALID"
    result = await gql.execute(GENERATE, {"i": {"prompt": "  "}}, token=owner.access_token)
    assert result["data"]["aiTaskGenerate"]["errors"] == [
        {"code": "PROMPT_INVALID", "field": "prompt"}
    ]
    # then none of it wrote anything
    assert await row_counts() == counts


async def test_viewer_ai_tasks_filters_by_status_and_kind_and_pages(gql: GraphQLClient) -> None:
    owner = await make_user()
    other = await make_user()
    drafts = [await make_task(owner, kind=AiTaskKind.WORLD_DRAFT) for _ in range(3)]
    story = await make_task(owner, kind=AiTaskKind.STORY_CONTINUATION)
    await make_task(other)
    await transitions.cancel_task(viewer=owner.principal, task_id=drafts[0].task_id)

    async def listing(**variables: Any) -> dict[str, Any]:
        result = await gql.execute(LIST, variables, token=owner.access_token)
        connection: dict[str, Any] = _data(result, "viewer")["aiTasks"]
        return connection

    everything = await listing()
    newest_first = [story.task_id, *[d.task_id for d in reversed(drafts)]]
    assert [e["node"]["taskId"] for e in everything["edges"]] == newest_first
    cancelled = await listing(status="CANCELLED")
    assert [e["node"]["taskId"] for e in cancelled["edges"]] == [drafts[0].task_id]
    pending_drafts = await listing(status="PENDING", kind="WORLD_DRAFT")
    assert [e["node"]["taskId"] for e in pending_drafts["edges"]] == [
        drafts[2].task_id,
        drafts[1].task_id,
    ]
    page = await listing(first=3)
    assert page["pageInfo"]["hasNextPage"] is True
    second = await listing(first=3, after=page["pageInfo"]["endCursor"])
    assert [e["node"]["taskId"] for e in page["edges"] + second["edges"]] == newest_first
    assert second["pageInfo"]["hasNextPage"] is False
    too_many = await gql.execute(LIST, {"first": 101}, token=owner.access_token)
    assert too_many["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_another_users_task_is_not_found_and_stays_untouched(gql: GraphQLClient) -> None:
    owner = await make_user()
    intruder = await make_user()
    task = await make_streaming_task(owner)
    await append_words(task.task_id, ["secret"])
    counts = await row_counts()
    read = await gql.execute(TASK, {"t": task.task_id}, token=intruder.access_token)
    assert read["data"] is None
    assert read["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    cancel = await gql.execute(CANCEL, {"t": task.task_id}, token=intruder.access_token)
    assert cancel["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    global_id = str(relay.GlobalID("AiTask", task.task_id))
    node = await gql.execute(
        "query($id: ID!) { node(id: $id) { ... on AiTask { text } } }",
        {"id": global_id},
        token=intruder.access_token,
    )
    assert node == {"data": {"node": None}}
    listed = await gql.execute(LIST, {}, token=intruder.access_token)
    assert _data(listed, "viewer")["aiTasks"]["edges"] == []
    assert await row_counts() == counts
    assert (await AiTask.select(AiTask.status).first()) == {"status": "running"}


USER_OPERATIONS = [
    ('{ aiTask(taskId: "T") { taskId } }', {}),
    ("{ viewer { aiTasks { edges { node { taskId } } } } }", {}),
    (CANCEL, {"t": "T"}),
    (CREATE, {"i": {"kind": "WORLD_DRAFT", "requestLabel": "x", "sourceModule": "rpg"}}),
    (GENERATE, {"i": {"prompt": "a poem"}}),
]
SERVICE_OPERATIONS = [
    (START, {"t": "T"}),
    (STAGE_START, {"t": "T", "s": "REQUEST_MODEL"}),
    (
        APPEND,
        {"i": {"taskId": "T", "stageKind": "REQUEST_MODEL", "chunkId": "c", "deltaText": "x"}},
    ),
    (STAGE_COMPLETE, {"i": {"taskId": "T", "stageKind": "REQUEST_MODEL"}}),
    (ATTACH, {"i": {"taskId": "T", "resultRefId": "r", "kind": "ENTITY", "referenceId": "e"}}),
    (COMPLETE, {"i": {"taskId": "T"}}),
    (FAIL, {"i": {"taskId": "T", "message": "m"}}),
]


def _on(task_id: str, variables: dict[str, Any]) -> dict[str, Any]:
    """The variables with the placeholder task id replaced by a real one."""
    out: dict[str, Any] = {}
    for key, value in variables.items():
        if isinstance(value, dict):
            out[key] = _on(task_id, value)
        else:
            out[key] = task_id if value == "T" else value
    return out


async def _refusals(
    gql: GraphQLClient, operations: list[tuple[str, dict[str, Any]]], token: str | None
) -> list[str]:
    """The error code each operation gets, on a real task, checking nothing was written."""
    owner = await make_user()
    task = await make_streaming_task(owner)
    counts = await row_counts()
    codes = []
    for operation, variables in operations:
        result = await gql.execute(
            operation.replace('"T"', f'"{task.task_id}"'),
            _on(task.task_id, variables),
            token=token,
        )
        codes.append(result["errors"][0]["extensions"]["code"])
        assert await row_counts() == counts, operation
    return codes


async def test_anonymous_callers_are_refused_everything_and_nothing_is_written(
    gql: GraphQLClient,
) -> None:
    operations = USER_OPERATIONS + SERVICE_OPERATIONS
    assert await _refusals(gql, operations, None) == ["UNAUTHENTICATED"] * len(operations)


async def test_service_callers_cannot_act_as_a_user(gql: GraphQLClient, service_token: str) -> None:
    codes = await _refusals(gql, USER_OPERATIONS, service_token)
    assert codes == ["FORBIDDEN"] * len(USER_OPERATIONS)


async def test_users_cannot_drive_tasks_not_even_their_own(gql: GraphQLClient) -> None:
    owner = await make_user()
    task = await make_streaming_task(owner)
    counts = await row_counts()
    for operation, variables in SERVICE_OPERATIONS:
        result = await gql.execute(
            operation, _on(task.task_id, variables), token=owner.access_token
        )
        assert result["errors"][0]["extensions"]["code"] == "FORBIDDEN", operation
    assert await row_counts() == counts


async def test_a_list_of_tasks_costs_the_same_statements_for_2_or_10_tasks(
    gql: GraphQLClient, count_statements: Any
) -> None:
    query = """{ viewer { aiTasks(first: 20) { edges { node {
        taskId text stages { kind textOutput } results { resultRefId }
        chunks(first: 3) { nodes { deltaText } }
        events(first: 3) { nodes { sequence kind deltaText } }
    } } } } }"""

    async def statements_for(owner_tasks: int) -> tuple[int, int]:
        owner = await make_user()
        for _ in range(owner_tasks):
            task = await make_streaming_task(owner)
            await append_words(task.task_id, ["a ", "b ", "c ", "d"])
            await results.attach_result(
                viewer=SERVICE,
                task_id=task.task_id,
                result_ref_id="r",
                kind=AiResultReferenceKind.ENTITY,
                reference_id="e",
            )
        with count_statements() as counter:
            result = await gql.execute(query, token=owner.access_token)
        edges = _data(result, "viewer")["aiTasks"]["edges"]
        assert all(e["node"]["text"] == "a b c d" for e in edges)
        assert all(len(e["node"]["chunks"]["nodes"]) == 3 for e in edges)
        assert all(len(e["node"]["events"]["nodes"]) == 3 for e in edges)
        return len(edges), counter.count

    two = await statements_for(2)
    ten = await statements_for(10)
    assert (two[0], ten[0]) == (2, 10)
    assert two[1] == ten[1]
