"""The AI-task state machine through its resolvers: transitions, refusals, idempotency."""

from __future__ import annotations

import asyncio

import pytest

from db.tables.ai_tasks import AiTask, AiTaskEvent, AiTextChunk
from db.tables.realtime import RealtimeStreamEvent
from resolvers.ai_tasks import (
    chunk_appends,
    creating,
    reading,
    results,
    stage_transitions,
    transitions,
)
from resolvers.ai_tasks.errors import AiTaskError, AiTaskErrorCode
from resolvers.ai_tasks.model import (
    AiResultReferenceKind,
    AiTaskKind,
    AiTaskStageKind,
    owner_stream,
    task_stream,
)
from resolvers.errors import Forbidden, NotAuthenticated, NotFound
from resolvers.principal import ANONYMOUS
from tests.factories.ai_tasks import (
    SERVICE,
    TWO_STAGES,
    append_words,
    make_streaming_task,
    make_task,
    row_counts,
    task_state,
)
from tests.factories.auth import make_user

PREPARE = AiTaskStageKind.PREPARE_PROMPT
GENERATE = AiTaskStageKind.REQUEST_MODEL


async def _stream(key: str) -> list[tuple[int, str]]:
    rows = (
        await RealtimeStreamEvent.select(
            RealtimeStreamEvent.sequence, RealtimeStreamEvent.event_kind
        )
        .where(RealtimeStreamEvent.stream_key == key)
        .order_by(RealtimeStreamEvent.sequence)
    )
    return [(row["sequence"], row["event_kind"]) for row in rows]


async def _refused(code: AiTaskErrorCode, call: object) -> None:
    with pytest.raises(AiTaskError) as refused:
        await call  # type: ignore[misc]
    assert refused.value.code is code


async def test_a_task_runs_through_its_whole_life_cycle() -> None:
    # given a user's task with two stages
    owner = await make_user()
    task = await make_task(owner, stages=TWO_STAGES)
    task_id = task.task_id
    assert (task.status, task.version) == ("pending", 1)
    # when the service drives it to completion
    await transitions.start_task(viewer=SERVICE, task_id=task_id)
    await stage_transitions.start_stage(viewer=SERVICE, task_id=task_id, stage_kind=PREPARE)
    await stage_transitions.complete_stage(
        viewer=SERVICE,
        task_id=task_id,
        stage_kind=PREPARE,
        text_output="prompt ready",
        structured_payload={"tokens": 12},
        warning_messages=["trimmed"],
    )
    await stage_transitions.start_stage(viewer=SERVICE, task_id=task_id, stage_kind=GENERATE)
    await append_words(task_id, ["Once ", "upon ", "a time"])
    stage = await stage_transitions.complete_stage(
        viewer=SERVICE, task_id=task_id, stage_kind=GENERATE
    )
    attached = await results.attach_result(
        viewer=SERVICE,
        task_id=task_id,
        result_ref_id="cover",
        kind=AiResultReferenceKind.ASSET_OBJECT,
        reference_id="asset-1",
        label="Cover image",
    )
    done = await transitions.complete_task(
        viewer=SERVICE, task_id=task_id, structured_payload={"words": 3}
    )
    # then the task, its stages, chunks and events tell the whole story
    assert stage.text_output == "Once upon a time"
    assert attached.attached is True
    assert done.status == "completed"
    assert done.latest_text_output == "Once upon a time"
    assert done.latest_structured_payload_json == {"words": 3}
    assert done.version == 1 + 10  # one per change after creation
    stages = (await reading.stages_of([task_id]))[task_id]
    assert [(s.stage_kind, s.status, s.chunk_count) for s in stages] == [
        ("prepare_prompt", "completed", 0),
        ("request_model", "completed", 3),
    ]
    assert stages[0].warning_messages == ["trimmed"]
    assert stages[0].structured_payload_json == {"tokens": 12}
    chunks = await AiTextChunk.select(AiTextChunk.sequence, AiTextChunk.delta_text).order_by(
        AiTextChunk.sequence
    )
    assert [(c["sequence"], c["delta_text"]) for c in chunks] == [
        (1, "Once "),
        (2, "upon "),
        (3, "a time"),
    ]
    kinds = [
        "created",
        "started",
        "stage_started",
        "stage_completed",
        "stage_started",
        "text_chunk",
        "text_chunk",
        "text_chunk",
        "stage_completed",
        "result_attached",
        "completed",
    ]
    assert await _stream(task_stream(task_id)) == list(enumerate(kinds, start=1))
    assert await _stream(owner_stream(owner.user_id)) == list(enumerate(kinds, start=1))
    assert await AiTaskEvent.count() == len(kinds)


async def test_the_owner_stream_numbers_events_of_all_their_tasks() -> None:
    owner = await make_user()
    first = await make_task(owner)
    second = await make_task(owner)
    await transitions.cancel_task(viewer=owner.principal, task_id=first.task_id)
    assert await _stream(owner_stream(owner.user_id)) == [
        (1, "created"),
        (2, "created"),
        (3, "cancelled"),
    ]
    assert await _stream(task_stream(second.task_id)) == [(1, "created")]


async def test_completing_a_cancelled_task_is_refused_and_writes_nothing() -> None:
    # given a cancelled task
    owner = await make_user()
    task = await make_streaming_task(owner)
    await transitions.cancel_task(viewer=owner.principal, task_id=task.task_id)
    before, counts = await task_state(task.task_id), await row_counts()
    # when the service tries to complete it, append to it or fail it
    await _refused(
        AiTaskErrorCode.TASK_FINISHED,
        transitions.complete_task(viewer=SERVICE, task_id=task.task_id),
    )
    await _refused(
        AiTaskErrorCode.TASK_FINISHED,
        chunk_appends.append_chunk(
            viewer=SERVICE,
            task_id=task.task_id,
            stage_kind=GENERATE,
            chunk_id="late",
            delta_text="too late",
        ),
    )
    await _refused(
        AiTaskErrorCode.TASK_FINISHED,
        transitions.fail_task(viewer=SERVICE, task_id=task.task_id, message="boom"),
    )
    await _refused(
        AiTaskErrorCode.TASK_FINISHED,
        transitions.cancel_task(viewer=owner.principal, task_id=task.task_id),
    )
    # then nothing changed
    assert await task_state(task.task_id) == before
    assert await row_counts() == counts
    assert before["stages"][0]["status"] == "cancelled"


async def test_appending_to_a_completed_stage_is_refused_and_writes_nothing() -> None:
    owner = await make_user()
    task = await make_task(owner, stages=TWO_STAGES)
    task_id = task.task_id
    await transitions.start_task(viewer=SERVICE, task_id=task_id)
    await stage_transitions.start_stage(viewer=SERVICE, task_id=task_id, stage_kind=PREPARE)
    await stage_transitions.complete_stage(viewer=SERVICE, task_id=task_id, stage_kind=PREPARE)
    before, counts = await task_state(task_id), await row_counts()
    await _refused(
        AiTaskErrorCode.STAGE_NOT_RUNNING,
        chunk_appends.append_chunk(
            viewer=SERVICE, task_id=task_id, stage_kind=PREPARE, chunk_id="x", delta_text="x"
        ),
    )
    await _refused(
        AiTaskErrorCode.STAGE_NOT_PENDING,
        stage_transitions.start_stage(viewer=SERVICE, task_id=task_id, stage_kind=PREPARE),
    )
    await _refused(
        AiTaskErrorCode.STAGE_NOT_RUNNING,
        stage_transitions.complete_stage(viewer=SERVICE, task_id=task_id, stage_kind=GENERATE),
    )
    await _refused(
        AiTaskErrorCode.STAGES_INCOMPLETE,
        transitions.complete_task(viewer=SERVICE, task_id=task_id),
    )
    await _refused(
        AiTaskErrorCode.STAGE_NOT_FOUND,
        stage_transitions.start_stage(
            viewer=SERVICE, task_id=task_id, stage_kind=AiTaskStageKind.PERSIST_RESULT
        ),
    )
    assert await task_state(task_id) == before
    assert await row_counts() == counts


async def test_stages_start_only_in_their_order() -> None:
    owner = await make_user()
    task = await make_task(owner, stages=TWO_STAGES)
    task_id = task.task_id
    # a pending task has no running stages
    await _refused(
        AiTaskErrorCode.TASK_NOT_RUNNING,
        stage_transitions.start_stage(viewer=SERVICE, task_id=task_id, stage_kind=PREPARE),
    )
    await transitions.start_task(viewer=SERVICE, task_id=task_id)
    await _refused(
        AiTaskErrorCode.TASK_NOT_PENDING, transitions.start_task(viewer=SERVICE, task_id=task_id)
    )
    before, counts = await task_state(task_id), await row_counts()
    # the second stage cannot start before the first completed, nor while it runs
    await _refused(
        AiTaskErrorCode.STAGE_OUT_OF_ORDER,
        stage_transitions.start_stage(viewer=SERVICE, task_id=task_id, stage_kind=GENERATE),
    )
    assert await task_state(task_id) == before
    assert await row_counts() == counts
    await stage_transitions.start_stage(viewer=SERVICE, task_id=task_id, stage_kind=PREPARE)
    await _refused(
        AiTaskErrorCode.STAGE_OUT_OF_ORDER,
        stage_transitions.start_stage(viewer=SERVICE, task_id=task_id, stage_kind=GENERATE),
    )
    await stage_transitions.complete_stage(viewer=SERVICE, task_id=task_id, stage_kind=PREPARE)
    stage = await stage_transitions.start_stage(
        viewer=SERVICE, task_id=task_id, stage_kind=GENERATE
    )
    assert (stage.stage_kind, stage.status, stage.stage_order) == (
        "request_model",
        "running",
        2,
    )


async def test_the_same_chunk_id_twice_is_a_no_op() -> None:
    owner = await make_user()
    task = await make_streaming_task(owner)
    first = await chunk_appends.append_chunk(
        viewer=SERVICE, task_id=task.task_id, stage_kind=GENERATE, chunk_id="c1", delta_text="a"
    )
    counts = await row_counts()
    again = await chunk_appends.append_chunk(
        viewer=SERVICE, task_id=task.task_id, stage_kind=GENERATE, chunk_id="c1", delta_text="b"
    )
    assert (first.appended, again.appended) == (True, False)
    assert again.chunk.text_chunk_row_id == first.chunk.text_chunk_row_id
    assert again.chunk.delta_text == "a"
    assert await row_counts() == counts
    # and still after the task finished (a retried write never fails)
    await transitions.fail_task(viewer=SERVICE, task_id=task.task_id, message="stopped")
    late = await chunk_appends.append_chunk(
        viewer=SERVICE, task_id=task.task_id, stage_kind=GENERATE, chunk_id="c1", delta_text="a"
    )
    assert late.appended is False


async def test_concurrent_appends_get_gap_free_sequences_and_duplicates_apply_once() -> None:
    # given a streaming task
    owner = await make_user()
    task = await make_streaming_task(owner)

    async def append(number: int) -> bool:
        result = await chunk_appends.append_chunk(
            viewer=SERVICE,
            task_id=task.task_id,
            stage_kind=GENERATE,
            chunk_id=f"c{number % 30}",
            delta_text=f"{number % 30} ",
        )
        return result.appended

    # when 60 appends of 30 distinct chunk ids race
    outcomes = await asyncio.gather(*[append(number) for number in range(60)])
    # then each id was appended once, with sequences 1..30 and 30 events numbered after 3
    assert sum(outcomes) == 30
    chunks = await AiTextChunk.select(AiTextChunk.sequence).where(
        AiTextChunk.task_id == task.task_id
    )
    assert sorted(row["sequence"] for row in chunks) == list(range(1, 31))
    assert [sequence for sequence, _ in await _stream(task_stream(task.task_id))] == list(
        range(1, 34)
    )
    stage = (await reading.stages_of([task.task_id]))[task.task_id][0]
    assert stage.chunk_count == 30
    assert len(stage.text_output.split()) == 30


async def test_failing_mid_stream_keeps_the_partial_text() -> None:
    owner = await make_user()
    task = await make_streaming_task(owner)
    await append_words(task.task_id, ["half ", "a ", "reply"])
    failed = await transitions.fail_task(
        viewer=SERVICE, task_id=task.task_id, message="  The model went away.  "
    )
    assert (failed.status, failed.failure_message) == ("failed", "The model went away.")
    stage = (await reading.stages_of([task.task_id]))[task.task_id][0]
    assert (stage.status, stage.text_output) == ("failed", "half a reply")
    assert await AiTextChunk.count() == 3


async def test_only_the_owner_cancels_and_only_service_callers_drive() -> None:
    owner = await make_user()
    intruder = await make_user()
    task = await make_task(owner)
    counts = await row_counts()
    with pytest.raises(NotFound):
        await transitions.cancel_task(viewer=intruder.principal, task_id=task.task_id)
    with pytest.raises(NotFound):
        await transitions.cancel_task(viewer=owner.principal, task_id="unknown")
    with pytest.raises(NotAuthenticated):
        await transitions.cancel_task(viewer=ANONYMOUS, task_id=task.task_id)
    with pytest.raises(Forbidden):
        await transitions.start_task(viewer=owner.principal, task_id=task.task_id)
    with pytest.raises(NotAuthenticated):
        await transitions.fail_task(viewer=ANONYMOUS, task_id=task.task_id, message="x")
    with pytest.raises(NotFound):
        await transitions.start_task(viewer=SERVICE, task_id="unknown")
    with pytest.raises(NotFound):
        await reading.owned_task(viewer=intruder.principal, task_id=task.task_id)
    assert await row_counts() == counts
    assert (await AiTask.select(AiTask.status).first()) == {"status": "pending"}


async def test_invalid_inputs_are_refused_with_their_field() -> None:
    owner = await make_user()
    counts = await row_counts()
    with pytest.raises(AiTaskError) as label:
        await creating.create_task(
            viewer=owner.principal,
            kind=AiTaskKind.WORLD_DRAFT,
            request_label=" ",
            source_module="x",
        )
    assert (label.value.code, label.value.field) == (AiTaskErrorCode.LABEL_INVALID, "requestLabel")
    with pytest.raises(AiTaskError) as stages:
        await make_task(owner, stages=[TWO_STAGES[0], TWO_STAGES[0]])
    assert stages.value.code is AiTaskErrorCode.STAGES_INVALID
    with pytest.raises(AiTaskError) as payload:
        await creating.create_task(
            viewer=owner.principal,
            kind=AiTaskKind.WORLD_DRAFT,
            request_label="x",
            source_module="x",
            request_payload="not an object",
        )
    assert payload.value.code is AiTaskErrorCode.PAYLOAD_INVALID
    with pytest.raises(AiTaskError) as prompt:
        await creating.request_generation(
            viewer=owner.principal, kind=AiTaskKind.TEXT_GENERATION, prompt=""
        )
    assert prompt.value.code is AiTaskErrorCode.PROMPT_INVALID
    assert await row_counts() == counts


async def test_appends_written_together_keep_their_own_outcomes() -> None:
    # given a streaming task, a cancelled one, one whose stage is not running, and none
    owner = await make_user()
    live = await make_streaming_task(owner)
    cancelled = await make_streaming_task(owner)
    await transitions.cancel_task(viewer=owner.principal, task_id=cancelled.task_id)
    waiting = await make_task(owner, stages=TWO_STAGES)
    await transitions.start_task(viewer=SERVICE, task_id=waiting.task_id)
    counts = await row_counts()

    async def append(task_id: str, chunk_id: str, stage: AiTaskStageKind = GENERATE) -> object:
        try:
            return await chunk_appends.append_chunk(
                viewer=SERVICE,
                task_id=task_id,
                stage_kind=stage,
                chunk_id=chunk_id,
                delta_text=f"{chunk_id} ",
            )
        except Exception as error:  # the refusal is this append's outcome
            return error

    # when they are all asked for at once (one batch)
    outcomes = await asyncio.gather(
        append(live.task_id, "a"),
        append(cancelled.task_id, "x"),
        append(live.task_id, "b"),
        append(waiting.task_id, "y", PREPARE),
        append("unknown", "z"),
        append(live.task_id, "a"),
        append(waiting.task_id, "w", AiTaskStageKind.PERSIST_RESULT),
    )
    # then each has its own outcome, in order, and only the live task's chunks were written
    first, finished, second, not_running, unknown, repeat, no_stage = outcomes
    assert (first.appended, first.chunk.sequence) == (True, 1)  # type: ignore[attr-defined]
    assert (second.appended, second.chunk.sequence) == (True, 2)  # type: ignore[attr-defined]
    assert repeat.appended is False  # type: ignore[attr-defined]
    assert repeat.chunk.text_chunk_row_id == first.chunk.text_chunk_row_id  # type: ignore[attr-defined]
    assert isinstance(finished, AiTaskError) and finished.code is AiTaskErrorCode.TASK_FINISHED
    assert isinstance(not_running, AiTaskError)
    assert not_running.code is AiTaskErrorCode.STAGE_NOT_RUNNING
    assert isinstance(no_stage, AiTaskError) and no_stage.code is AiTaskErrorCode.STAGE_NOT_FOUND
    assert isinstance(unknown, NotFound)
    after = await row_counts()
    assert after["ai_text_chunk"] == counts["ai_text_chunk"] + 2
    assert after["ai_task_event"] == counts["ai_task_event"] + 2
    assert await _stream(task_stream(live.task_id)) == [
        (1, "created"),
        (2, "started"),
        (3, "stage_started"),
        (4, "text_chunk"),
        (5, "text_chunk"),
    ]
    tasks = {row["task_id"]: row for row in await AiTask.select(AiTask.task_id, AiTask.version)}
    assert tasks[live.task_id]["version"] == 3 + 2
    assert tasks[waiting.task_id]["version"] == 2
