"""The generation worker: streaming, cancellation, failures, leases, sweeps, shutdown."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest

from db.tables.ai_tasks import AiTask, AiTasksWorkerLease, AiTextChunk
from resolvers.ai_tasks import chunk_appends, creating, reading, transitions
from resolvers.ai_tasks.generation import EmbeddedGenerator, GenerationRequest, embedded_reply
from resolvers.ai_tasks.leases import Claim, claim_next, idle_task_message, renew_lease, sweep
from resolvers.ai_tasks.model import AiTaskKind, AiTaskStageKind
from resolvers.ai_tasks.worker import GenerationJob, GenerationWorker
from settings import get_settings
from subscriptions import bus
from tests.factories.ai_tasks import (
    SERVICE,
    assert_no_running_task_without_a_lease,
    make_streaming_task,
)
from tests.factories.auth import TestUser, make_user
from tests.fixtures import FakeClock, GraphQLClient
from tests.waiting import eventually

FINISHED = ("completed", "failed", "cancelled")


async def _task(task_id: str) -> dict[str, Any]:
    row = await AiTask.select().where(AiTask.task_id == task_id).first()
    assert row is not None
    return row


class WatchedGenerator:
    """A generator that tells when the worker has closed its stream."""

    def __init__(self, inner: EmbeddedGenerator) -> None:
        self.inner = inner
        self.closed = asyncio.Event()

    async def stream(self, request: GenerationRequest) -> AsyncIterator[str]:
        try:
            async for delta in self.inner.stream(request):
                yield delta
        finally:
            self.closed.set()


async def _wait_for(task_id: str, statuses: tuple[str, ...], timeout: float = 5) -> dict[str, Any]:
    return await eventually(
        lambda: _task(task_id), lambda row: row["status"] in statuses, timeout=timeout
    )


async def _chunks(task_id: str) -> int:
    return await AiTextChunk.count().where(AiTextChunk.task_id == task_id)


async def _wait_for_chunks(task_id: str, count: int, timeout: float = 5) -> None:
    await eventually(lambda: _chunks(task_id), lambda written: written >= count, timeout=timeout)


@contextlib.asynccontextmanager
async def running(worker: GenerationWorker) -> AsyncIterator[GenerationWorker]:
    await worker.start()
    try:
        yield worker
    finally:
        await worker.stop()


async def _generate(owner: TestUser, prompt: str) -> str:
    task = await creating.request_generation(
        viewer=owner.principal, kind=AiTaskKind.TEXT_GENERATION, prompt=prompt
    )
    return str(task.task_id)


class FailingGenerator:
    """Yields a few words, then fails like a dropped model connection."""

    async def stream(self, request: GenerationRequest) -> AsyncIterator[str]:
        for word in ("The ", "partial ", "reply"):
            yield word
        raise RuntimeError("model connection reset")


async def test_the_embedded_generator_is_deterministic_and_paced() -> None:
    assert embedded_reply("a lighthouse") == embedded_reply("a lighthouse")
    assert embedded_reply("a lighthouse") != embedded_reply("a harbour")
    assert 40 <= len(embedded_reply("a lighthouse")) <= 90
    assert len(embedded_reply("x", word_count=7)) == 7
    generator = EmbeddedGenerator(words_per_second=50, word_count=6)
    loop = asyncio.get_running_loop()
    started = loop.time()
    deltas = [
        delta
        async for delta in generator.stream(
            GenerationRequest(task_id="t", kind=AiTaskKind.TEXT_GENERATION, prompt="x")
        )
    ]
    assert loop.time() - started >= 5 / 50 * 0.9  # five pauses between six words
    assert "".join(deltas) == " ".join(embedded_reply("x", word_count=6))
    assert all(delta.endswith(" ") for delta in deltas[:-1])


async def test_a_requested_generation_streams_word_by_word_and_completes(
    gql: GraphQLClient,
) -> None:
    # given a signed-in user asking for a generation through the API (the app's worker runs)
    owner = await make_user()
    result = await gql.execute(
        "mutation($i: AiTaskGenerateInput!) { aiTaskGenerate(input: $i) "
        "{ errors { code } task { taskId status sourceModule requestPayload } } }",
        {"i": {"prompt": "A fox and a lantern", "kind": "STORY_CONTINUATION"}},
        token=owner.access_token,
    )
    payload = result["data"]["aiTaskGenerate"]
    assert payload["errors"] == []
    assert payload["task"]["status"] == "PENDING"
    assert payload["task"]["sourceModule"] == "generation"
    assert payload["task"]["requestPayload"] == {"prompt": "A fox and a lantern"}
    task_id = payload["task"]["taskId"]
    # then the worker streams the deterministic reply into it, one chunk per word
    done = await _wait_for(task_id, FINISHED)
    words = embedded_reply("A fox and a lantern", word_count=12)
    assert done["status"] == "completed"
    assert done["latest_text_output"] == " ".join(words)
    chunks = await AiTextChunk.select(AiTextChunk.sequence, AiTextChunk.delta_text).where(
        AiTextChunk.task_id == task_id
    )
    ordered = sorted(chunks, key=lambda chunk: chunk["sequence"])
    assert [c["sequence"] for c in ordered] == list(range(1, 13))
    assert "".join(c["delta_text"] for c in ordered) == " ".join(words)
    assert await AiTasksWorkerLease.count() == 0


async def test_cancelling_stops_the_generation_within_a_second(hub: bus.Hub) -> None:
    # given a worker streaming a long reply slowly
    owner = await make_user()
    generator = WatchedGenerator(EmbeddedGenerator(words_per_second=40, word_count=400))
    async with running(GenerationWorker(generator=generator, settings=get_settings())) as worker:
        task_id = await _generate(owner, "a very long saga")
        await _wait_for_chunks(task_id, 3)
        # when its owner cancels it
        await transitions.cancel_task(viewer=owner.principal, task_id=task_id)
        written = await _chunks(task_id)
        # then the worker closes the generation and lets go of the task within a second
        await eventually(lambda: task_id not in worker.jobs, timeout=1)
        async with asyncio.timeout(1):
            await generator.closed.wait()
        # and no word followed the cancellation
        assert await _chunks(task_id) == written
        assert written < 400
    row = await _task(task_id)
    assert row["status"] == "cancelled"
    stage = (await reading.stages_of([task_id]))[task_id][0]
    assert stage.status == "cancelled"
    assert stage.chunk_count == written
    await assert_no_running_task_without_a_lease()


async def test_a_generator_failure_fails_the_task_and_keeps_the_partial_text(
    hub: bus.Hub,
) -> None:
    owner = await make_user()
    async with running(GenerationWorker(generator=FailingGenerator(), settings=get_settings())):
        task_id = await _generate(owner, "anything")
        row = await _wait_for(task_id, FINISHED)
    assert row["status"] == "failed"
    assert row["failure_message"] == "The text generator failed: model connection reset"
    stage = (await reading.stages_of([task_id]))[task_id][0]
    assert (stage.status, stage.text_output) == ("failed", "The partial reply")
    assert await AiTasksWorkerLease.count() == 0
    await assert_no_running_task_without_a_lease()


async def test_heartbeats_keep_a_lease_alive(clock: FakeClock) -> None:
    owner = await make_user()
    task_id = await _generate(owner, "long running")
    assert await claim_next(worker_id="w1", lease_seconds=30) == Claim(task_id, attempts=1)
    for _ in range(4):
        clock.advance(seconds=20)
        assert await renew_lease(task_id=task_id, worker_id="w1", lease_seconds=30)
        assert await sweep(idle_seconds=600) == []
        assert await claim_next(worker_id="w2", lease_seconds=30) is None  # not takeable
    assert not await renew_lease(task_id=task_id, worker_id="w2", lease_seconds=30)
    assert (await _task(task_id))["status"] == "pending"


async def test_concurrent_workers_never_claim_the_same_generation() -> None:
    owner = await make_user()
    queued = [await _generate(owner, f"prompt {number}") for number in range(12)]

    async def claim_all(worker_id: str) -> list[str]:
        claimed = []
        while (claim := await claim_next(worker_id=worker_id, lease_seconds=30)) is not None:
            claimed.append(claim.task_id)
        return claimed

    results = await asyncio.gather(*[claim_all(f"w{number}") for number in range(4)])
    claimed = [task_id for result in results for task_id in result]
    assert sorted(claimed) == sorted(queued)
    assert len(set(claimed)) == len(claimed)
    assert claimed and all(result == sorted(result) for result in results)  # oldest first


async def test_running_tasks_without_a_lease_fail_after_the_idle_timeout(
    clock: FakeClock,
) -> None:
    owner = await make_user()
    quiet = await make_streaming_task(owner)
    busy = await make_streaming_task(owner)
    clock.advance(seconds=599)
    await chunk_appends.append_chunk(
        viewer=SERVICE,
        task_id=busy.task_id,
        stage_kind=AiTaskStageKind.REQUEST_MODEL,
        chunk_id="1",
        delta_text="still here",
    )
    clock.advance(seconds=2)
    assert await sweep(idle_seconds=600) == [quiet.task_id]
    row = await _task(quiet.task_id)
    assert (row["status"], row["failure_message"]) == ("failed", idle_task_message(600))
    assert (await _task(busy.task_id))["status"] == "running"


@pytest.mark.parametrize("enabled", [True, False])
async def test_the_worker_is_configured_from_settings(
    monkeypatch: pytest.MonkeyPatch, enabled: bool
) -> None:
    from resolvers.ai_tasks.worker import worker_from_settings

    monkeypatch.setenv("GENERATION_WORKER_ENABLED", "true" if enabled else "false")
    get_settings.cache_clear()
    worker = worker_from_settings(get_settings())
    assert (worker is not None) is enabled
    if worker is not None:
        assert isinstance(worker.generator, EmbeddedGenerator)
        assert (worker.lease_seconds, worker.heartbeat_seconds, worker.max_takeovers) == (
            12,
            4,
            3,
        )


@pytest.mark.parametrize(
    ("finish", "warned"),
    [("cancel", False), ("lease taken by another worker", True)],
)
async def test_a_failed_heartbeat_warns_only_when_the_task_is_still_running(
    caplog: pytest.LogCaptureFixture, finish: str, warned: bool
) -> None:
    # given a generation this worker holds
    owner = await make_user()
    task_id = await _generate(owner, "heartbeat")
    worker = GenerationWorker(generator=EmbeddedGenerator(words_per_second=10), worker_id="w1")
    worker.heartbeat_seconds = 0
    assert await claim_next(worker_id="w1", lease_seconds=30) == Claim(task_id, attempts=1)
    # when its lease goes: the task finished (its lease deleted with it), or another
    # worker owns it now
    if finish == "cancel":
        await transitions.cancel_task(viewer=owner.principal, task_id=task_id)
    else:
        await AiTasksWorkerLease.update({AiTasksWorkerLease.lease_owner: "w2"}).where(
            AiTasksWorkerLease.task_id == task_id
        )
    job = GenerationJob(task_id=task_id)
    with caplog.at_level("WARNING", logger="genarrative"):
        await worker._heartbeat(job)
    # then the job stops either way, and only a lost lease of a running task is a warning
    assert job.stop_reason == "lease_lost"
    assert ("lost the lease" in caplog.text) is warned
