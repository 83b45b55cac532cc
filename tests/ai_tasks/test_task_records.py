"""What a task records (docs/domain.md, "AI tasks"): chunk sequences per (task, stage), and
a WORK_PROFILE result reference read back by the owner."""

from __future__ import annotations

from db.tables.ai_tasks import AiResultReference, AiTaskEvent, AiTextChunk
from resolvers.ai_tasks import chunk_appends, results, stage_transitions, transitions
from resolvers.ai_tasks.model import AiResultReferenceKind, AiTaskStageKind
from tests.factories.ai_tasks import SERVICE, TWO_STAGES, make_task
from tests.factories.auth import make_user
from tests.fixtures import GraphQLClient

PREPARE = AiTaskStageKind.PREPARE_PROMPT
GENERATE = AiTaskStageKind.REQUEST_MODEL
RESULTS = """
query($t: ID!) { aiTask(taskId: $t) { results { resultRefId kind referenceId label } } }
"""


async def _write(task_id: str, stage: AiTaskStageKind, words: list[str]) -> None:
    await stage_transitions.start_stage(viewer=SERVICE, task_id=task_id, stage_kind=stage)
    for number, word in enumerate(words, start=1):
        await chunk_appends.append_chunk(
            viewer=SERVICE,
            task_id=task_id,
            stage_kind=stage,
            chunk_id=f"{stage.value}-{number}",
            delta_text=word,
        )
    await stage_transitions.complete_stage(viewer=SERVICE, task_id=task_id, stage_kind=stage)


async def test_chunk_sequences_restart_at_one_for_each_stage_of_a_task() -> None:
    # given a running task of two stages, and another task
    owner = await make_user()
    task_id = (await make_task(owner, stages=TWO_STAGES)).task_id
    other_id = (await make_task(owner, stages=TWO_STAGES)).task_id
    for started in (task_id, other_id):
        await transitions.start_task(viewer=SERVICE, task_id=started)
    # when each stage streams its own chunks
    await _write(task_id, PREPARE, ["a", "b"])
    await _write(task_id, GENERATE, ["c", "d", "e"])
    await _write(other_id, PREPARE, ["x"])
    # then sequences count from 1 per (task, stage)
    rows = await AiTextChunk.select(
        AiTextChunk.task_id, AiTextChunk.stage_kind, AiTextChunk.sequence, AiTextChunk.delta_text
    )
    assert sorted(
        (r["task_id"], r["stage_kind"], r["sequence"], r["delta_text"]) for r in rows
    ) == sorted(
        [
            (task_id, "prepare_prompt", 1, "a"),
            (task_id, "prepare_prompt", 2, "b"),
            (task_id, "request_model", 1, "c"),
            (task_id, "request_model", 2, "d"),
            (task_id, "request_model", 3, "e"),
            (other_id, "prepare_prompt", 1, "x"),
        ]
    )


async def test_a_work_profile_result_reference_is_attached_and_read_back(
    gql: GraphQLClient,
) -> None:
    # given a running task of a user's
    owner = await make_user()
    task_id = (await make_task(owner, stages=TWO_STAGES)).task_id
    await transitions.start_task(viewer=SERVICE, task_id=task_id)
    # when the worker attaches the work profile it wrote
    attached = await results.attach_result(
        viewer=SERVICE,
        task_id=task_id,
        result_ref_id="draft",
        kind=AiResultReferenceKind.WORK_PROFILE,
        reference_id="profile-42",
        label="Draft world",
    )
    # then the reference is stored with its kind and the owner reads it back
    assert attached.attached is True
    assert (attached.result.reference_kind, attached.result.reference_id) == (
        "work_profile",
        "profile-42",
    )
    shown = await gql.execute(RESULTS, {"t": task_id}, token=owner.access_token)
    assert shown["data"]["aiTask"]["results"] == [
        {
            "resultRefId": "draft",
            "kind": "WORK_PROFILE",
            "referenceId": "profile-42",
            "label": "Draft world",
        }
    ]


async def test_attaching_the_same_result_ref_id_again_is_a_no_op() -> None:
    # given a running task with a result attached as `cover`
    owner = await make_user()
    task_id = (await make_task(owner, stages=TWO_STAGES)).task_id
    await transitions.start_task(viewer=SERVICE, task_id=task_id)
    first = await results.attach_result(
        viewer=SERVICE,
        task_id=task_id,
        result_ref_id="cover",
        kind=AiResultReferenceKind.ASSET_OBJECT,
        reference_id="asset-1",
    )
    events = await AiTaskEvent.count()
    # when a retried writer attaches `cover` again, pointing elsewhere
    again = await results.attach_result(
        viewer=SERVICE,
        task_id=task_id,
        result_ref_id="cover",
        kind=AiResultReferenceKind.ASSET_OBJECT,
        reference_id="asset-2",
    )
    # then nothing is written and the first reference comes back
    assert (first.attached, again.attached) == (True, False)
    assert again.result.reference_id == "asset-1"
    rows = await AiResultReference.select(AiResultReference.reference_id)
    assert rows == [{"reference_id": "asset-1"}]
    assert await AiTaskEvent.count() == events
