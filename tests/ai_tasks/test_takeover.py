"""Faults under a generation, on both engines, through the resolvers: an expired lease is
taken over and continued (the same text as an uninterrupted run, one RESUMED at the seam,
gap-free sequences), a task taken over too often fails, transient database errors in the
chunk writer are retried or hand the task to the next attempt, and a stopping worker hands
its tasks back at once. Every test ends with the invariant: no running task without a
lease."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Collection
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest

from db.tables.ai_tasks import AiTask, AiTasksWorkerLease, AiTextChunk
from observability.metrics import LEASE_TAKEOVERS
from resolvers.ai_tasks import (
    chunk_appends,
    creating,
    retries,
    stage_transitions,
    transitions,
)
from resolvers.ai_tasks.chunk_batch import BatchWritten
from resolvers.ai_tasks.chunk_plan import PendingAppend
from resolvers.ai_tasks.generation import (
    EmbeddedGenerator,
    GenerationRequest,
    embedded_reply,
    remaining_deltas,
)
from resolvers.ai_tasks.leases import Claim, claim_next, takeover_limit_message
from resolvers.ai_tasks.model import AiTaskKind, AiTaskStageKind, task_stream
from resolvers.ai_tasks.worker import GenerationWorker
from settings import get_settings
from subscriptions import bus, streams
from tests.factories.ai_tasks import SERVICE, assert_no_running_task_without_a_lease
from tests.factories.auth import TestUser, make_user
from tests.fixtures import FakeClock
from tests.waiting import eventually

PROMPT = "a lighthouse keeper's first winter"
WORDS = 12  # GENERATION_WORD_COUNT in tests/ai_tasks/conftest.py
FULL_TEXT = " ".join(embedded_reply(PROMPT, word_count=WORDS))
DELTAS = [word + " " for word in embedded_reply(PROMPT, word_count=WORDS)[:-1]] + [
    embedded_reply(PROMPT, word_count=WORDS)[-1]
]
SETUP = ["created", "started", "stage_started"]
FINISH = ["stage_completed", "completed"]


@contextlib.asynccontextmanager
async def running(worker: GenerationWorker) -> AsyncIterator[GenerationWorker]:
    await worker.start()
    try:
        yield worker
    finally:
        await worker.stop()


def _worker(*, words_per_second: float = 400, worker_id: str | None = None) -> GenerationWorker:
    generator = EmbeddedGenerator(words_per_second=words_per_second, word_count=WORDS)
    return GenerationWorker(generator=generator, settings=get_settings(), worker_id=worker_id)


async def _generate(owner: TestUser) -> str:
    task = await creating.request_generation(
        viewer=owner.principal, kind=AiTaskKind.TEXT_GENERATION, prompt=PROMPT
    )
    return str(task.task_id)


async def _abandoned(owner: TestUser, *, written: int, claims: int = 1) -> str:
    """A generation whose worker claimed it, started it, wrote `written` words and died:
    its lease already expired. `claims` > 1: it was taken over (and died) that often."""
    task_id = await _generate(owner)
    for number in range(claims):
        claim = await claim_next(worker_id=f"dead-{number}", lease_seconds=-1)
        assert claim == Claim(task_id, attempts=number + 1)
    await transitions.start_task(viewer=SERVICE, task_id=task_id)
    await stage_transitions.start_stage(
        viewer=SERVICE, task_id=task_id, stage_kind=AiTaskStageKind.REQUEST_MODEL
    )
    for number, delta in enumerate(DELTAS[:written], start=1):
        await chunk_appends.append_chunk(
            viewer=SERVICE,
            task_id=task_id,
            stage_kind=AiTaskStageKind.REQUEST_MODEL,
            chunk_id=str(number),
            delta_text=delta,
        )
    return task_id


async def _finished(task_id: str, timeout: float = 10) -> dict[str, Any]:
    async def task() -> dict[str, Any]:
        row = await AiTask.select().where(AiTask.task_id == task_id).first()
        assert row is not None
        return row

    return await eventually(
        task, lambda row: row["status"] in ("completed", "failed", "cancelled"), timeout=timeout
    )


async def _chunks(task_id: str) -> list[tuple[int, str, str]]:
    rows = await AiTextChunk.select(
        AiTextChunk.sequence, AiTextChunk.chunk_id, AiTextChunk.delta_text
    ).where(AiTextChunk.task_id == task_id)
    return sorted((row["sequence"], row["chunk_id"], row["delta_text"]) for row in rows)


async def _event_kinds(task_id: str) -> list[str]:
    """The task stream's kinds, after checking its sequences are 1..N without a gap."""
    entries = await streams.replay(task_stream(task_id), after=0, limit=1000)
    assert [entry.sequence for entry in entries] == list(range(1, len(entries) + 1))
    return [entry.kind for entry in entries]


def _takeovers() -> float:
    return float(LEASE_TAKEOVERS._value.get())


async def _assert_uninterrupted_text(task_id: str) -> None:
    row = await AiTask.select().where(AiTask.task_id == task_id).first()
    assert row is not None
    assert (row["status"], row["latest_text_output"]) == ("completed", FULL_TEXT)
    assert await _chunks(task_id) == [
        (number, str(number), delta) for number, delta in enumerate(DELTAS, start=1)
    ]


async def test_the_embedded_generator_continues_exactly_after_the_written_text() -> None:
    generator = EmbeddedGenerator(words_per_second=10_000, word_count=WORDS)
    # at every cut, between words or inside one, the continuation is the rest of the text
    for cut in range(len(FULL_TEXT) + 1):
        request = GenerationRequest(
            task_id="t",
            kind=AiTaskKind.TEXT_GENERATION,
            prompt=PROMPT,
            written_text=FULL_TEXT[:cut],
        )
        rest = [delta async for delta in generator.stream(request)]
        assert "".join(rest) == FULL_TEXT[cut:]
        assert all(rest)
    # and text that is not this reply's is continued after as many words as it holds
    assert remaining_deltas(DELTAS, "three other words ") == DELTAS[3:]


async def test_an_expired_lease_is_taken_over_and_continued_with_the_same_text(
    hub: bus.Hub,
) -> None:
    # given a generation whose worker wrote 5 of its 12 words, then died
    owner = await make_user()
    task_id = await _abandoned(owner, written=5)
    before = _takeovers()
    # when a worker runs
    async with running(_worker()):
        await _finished(task_id)
    # then it continued the text: the whole text is an uninterrupted run's, each word once
    await _assert_uninterrupted_text(task_id)
    # and one RESUMED marks the seam in one gap-free stream
    assert await _event_kinds(task_id) == [
        *SETUP,
        *["text_chunk"] * 5,
        "resumed",
        *["text_chunk"] * 7,
        *FINISH,
    ]
    assert _takeovers() - before == 1
    assert await AiTasksWorkerLease.count() == 0
    await assert_no_running_task_without_a_lease()


async def test_a_fresh_lease_is_never_taken_over(
    hub: bus.Hub, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a generation a live worker of another process holds (30 s lease)
    owner = await make_user()
    task_id = await _generate(owner)
    assert await claim_next(worker_id="other-process", lease_seconds=30) == Claim(task_id, 1)
    monkeypatch.setenv("GENERATION_SWEEP_SECONDS", "0.02")
    get_settings.cache_clear()
    async with running(_worker()) as worker:
        # when this worker looks for work while the lease is fresh
        clock.advance(seconds=29)
        assert await claim_next(worker_id="probe", lease_seconds=30) is None
        # then it leaves the task alone
        assert worker.jobs == {}
        assert (await AiTask.select().where(AiTask.task_id == task_id).first() or {})[
            "status"
        ] == "pending"
        # and once the lease expired it takes the (never started) task and runs it
        clock.advance(seconds=2)
        await _finished(task_id)
    await _assert_uninterrupted_text(task_id)
    assert await _event_kinds(task_id) == [*SETUP, *["text_chunk"] * WORDS, *FINISH]
    await assert_no_running_task_without_a_lease()


@pytest.mark.parametrize(("claims", "outcome"), [(3, "completed"), (4, "failed")])
async def test_a_generation_is_taken_over_at_most_max_attempts_times(
    hub: bus.Hub, claims: int, outcome: str
) -> None:
    # given a generation already claimed `claims` times by workers that all died (the
    # next claim is takeover number `claims`; GENERATION_MAX_ATTEMPTS is 3)
    owner = await make_user()
    task_id = await _abandoned(owner, written=2, claims=claims)
    # when a worker runs
    async with running(_worker()):
        row = await _finished(task_id)
    # then the third takeover still completes it; a fourth fails it saying why, with the
    # text so far kept
    assert row["status"] == outcome
    if outcome == "failed":
        assert row["failure_message"] == takeover_limit_message(3)
        assert [delta for _, _, delta in await _chunks(task_id)] == DELTAS[:2]
        assert await _event_kinds(task_id) == [*SETUP, "text_chunk", "text_chunk", "failed"]
    else:
        await _assert_uninterrupted_text(task_id)
        assert (await _event_kinds(task_id)).count("resumed") == 1
    await assert_no_running_task_without_a_lease()


def _transient_error(engine_name: str) -> Exception:
    """What each engine raises when the connection went away or the lock stayed taken."""
    if engine_name == "postgres":
        return asyncpg.ConnectionDoesNotExistError(
            "connection was closed in the middle of operation"
        )
    return sqlite3.OperationalError("database is locked")


class FlakyCommits:
    """The chunk writer's commit, failing on the given calls: before writing (nothing
    committed) or after its commit (committed, but the answer was lost)."""

    def __init__(
        self,
        real: Callable[[list[PendingAppend]], Awaitable[BatchWritten]],
        error: Exception,
        *,
        before: Collection[int] = (),
        after: Collection[int] = (),
    ) -> None:
        self.real, self.error, self.before, self.after = real, error, before, after
        self.calls = 0

    async def __call__(self, batch: list[PendingAppend]) -> BatchWritten:
        self.calls += 1
        if self.calls in self.before:
            raise self.error
        written = await self.real(batch)
        if self.calls in self.after:
            raise self.error
        return written


@pytest.fixture
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retries, "FIRST_DELAY_SECONDS", 0.001)
    monkeypatch.setattr(retries, "MAX_DELAY_SECONDS", 0.004)


async def test_transient_errors_in_the_chunk_writer_are_retried_and_the_task_completes(
    hub: bus.Hub, engine_name: str, monkeypatch: pytest.MonkeyPatch, fast_retries: None
) -> None:
    # given a chunk writer whose first two commits fail before writing and whose third
    # commits but loses its answer (one batch's tries, however the appends are batched)
    flaky = FlakyCommits(
        chunk_appends._commit, _transient_error(engine_name), before={1, 2}, after={3}
    )
    monkeypatch.setattr(chunk_appends, "_commit", flaky)
    owner = await make_user()
    # when a worker runs a generation
    async with running(_worker()):
        task_id = await _generate(owner)
        await _finished(task_id)
    # then the writes were retried: the whole text, each word once, no takeover needed
    assert flaky.calls >= 4
    await _assert_uninterrupted_text(task_id)
    assert await _event_kinds(task_id) == [*SETUP, *["text_chunk"] * WORDS, *FINISH]
    await assert_no_running_task_without_a_lease()


async def test_a_chunk_writer_that_keeps_failing_hands_the_task_to_the_next_attempt(
    hub: bus.Hub, engine_name: str, monkeypatch: pytest.MonkeyPatch, fast_retries: None
) -> None:
    # given a chunk writer whose commits after the first all fail, as often as one batch is
    # tried (the first batch is the first word alone: the worker queues it at once)
    flaky = FlakyCommits(
        chunk_appends._commit,
        _transient_error(engine_name),
        before=set(range(2, 2 + retries.ATTEMPTS)),
    )
    monkeypatch.setattr(chunk_appends, "_commit", flaky)
    owner = await make_user()
    before = _takeovers()
    # when a worker runs a generation
    async with running(_worker()):
        task_id = await _generate(owner)
        await _finished(task_id)
    # then the worker gave the task up (its lease handed back, never deleted) and the next
    # claim continued it after the words written: the same text, one RESUMED at the seam
    await _assert_uninterrupted_text(task_id)
    kinds = await _event_kinds(task_id)
    assert kinds.count("resumed") == 1
    written_before = kinds.index("resumed") - len(SETUP)
    assert kinds == [
        *SETUP,
        *["text_chunk"] * written_before,
        "resumed",
        *["text_chunk"] * (WORDS - written_before),
        *FINISH,
    ]
    assert 1 <= written_before < WORDS
    assert _takeovers() - before == 1
    await assert_no_running_task_without_a_lease()


async def test_a_stopping_worker_hands_its_tasks_back_and_another_continues_at_once(
    hub: bus.Hub,
) -> None:
    # given two workers (two processes, say), one of them streaming a generation slowly
    owner = await make_user()
    other = _worker(words_per_second=30, worker_id="other")
    other.max_concurrency = 0  # (before it starts claiming) the first worker claims the task
    async with running(other):
        first = _worker(words_per_second=30, worker_id="first")
        await first.start()
        task_id = await _generate(owner)
        await eventually(lambda: _chunks(task_id), lambda chunks: len(chunks) >= 3, timeout=5)
        other.max_concurrency = 16
        # when the first one stops (a graceful shutdown)
        loop = asyncio.get_running_loop()
        stopped = loop.time()
        await first.stop()
        written = len(await _chunks(task_id))
        # then the task is not failed: its lease is handed back and the other worker
        # continues it at once (not after the lease, nor its next sweep)
        assert 3 <= written < WORDS
        await assert_no_running_task_without_a_lease()

        async def taken_over() -> bool:
            if task_id in other.jobs:
                return True
            row = await AiTask.select(AiTask.status).where(AiTask.task_id == task_id).first()
            return row is not None and row["status"] == "completed"

        await eventually(taken_over, timeout=1)
        assert loop.time() - stopped < other.sweep_seconds
        await _finished(task_id)
    await _assert_uninterrupted_text(task_id)
    assert await _event_kinds(task_id) == [
        *SETUP,
        *["text_chunk"] * written,
        "resumed",
        *["text_chunk"] * (WORDS - written),
        *FINISH,
    ]
    await assert_no_running_task_without_a_lease()


class ZombieGenerator:
    """Words no embedded reply has, slowly: any of them after a takeover would show."""

    async def stream(self, request: GenerationRequest) -> AsyncIterator[str]:
        for number in range(200):
            yield f"zombie{number} "
            await asyncio.sleep(0.02)


async def _expire_lease(task_id: str) -> None:
    await AiTasksWorkerLease.update(
        {AiTasksWorkerLease.lease_expires_at: datetime.now(UTC) - timedelta(seconds=1)}
    ).where(AiTasksWorkerLease.task_id == task_id)


async def test_a_worker_presumed_dead_writes_nothing_after_the_takeover(hub: bus.Hub) -> None:
    # given a worker streaming a generation whose lease expires while it is still alive
    # (its heartbeats could not reach the database, say), and a second worker
    owner = await make_user()
    zombie = GenerationWorker(generator=ZombieGenerator(), worker_id="zombie")
    other = _worker(worker_id="other")
    other.max_concurrency = 0  # (before it starts claiming) the zombie claims the task
    async with running(other), running(zombie):
        task_id = await _generate(owner)
        await eventually(lambda: _chunks(task_id), lambda chunks: len(chunks) >= 3, timeout=5)
        zombie.max_concurrency, other.max_concurrency = 0, 16
        await _expire_lease(task_id)
        # when the other worker takes the task over
        await creating.announce_queued(task_id)
        row = await _finished(task_id)
        # then the zombie's next append was refused and it stopped, without a word after
        # the takeover: the text is its words up to the seam, then the continuation
        await eventually(lambda: task_id not in zombie.jobs, timeout=5)
    chunks = await _chunks(task_id)
    written = sum(delta.startswith("zombie") for _, _, delta in chunks)
    assert row["status"] == "completed"
    assert [delta for _, _, delta in chunks] == [
        *[f"zombie{number} " for number in range(written)],
        *DELTAS[written:],
    ]
    assert [(sequence, chunk_id) for sequence, chunk_id, _ in chunks] == [
        (number, str(number)) for number in range(1, WORDS + 1)
    ]
    assert await _event_kinds(task_id) == [
        *SETUP,
        *["text_chunk"] * written,
        "resumed",
        *["text_chunk"] * (WORDS - written),
        *FINISH,
    ]
    await assert_no_running_task_without_a_lease()


async def test_a_worker_that_claims_its_own_expired_lease_again_runs_the_task_once(
    hub: bus.Hub,
) -> None:
    # given a worker streaming a generation whose lease expired under it
    owner = await make_user()
    async with running(_worker(words_per_second=30)) as worker:
        task_id = await _generate(owner)
        await eventually(lambda: _chunks(task_id), lambda chunks: len(chunks) >= 3, timeout=5)
        first_job = worker.jobs[task_id]
        await _expire_lease(task_id)
        # when it claims that task again itself
        await creating.announce_queued(task_id)
        await _finished(task_id)
        # then its old job stopped, and the new one continued the text: each word once
        assert first_job.stop_reason == "lease_lost"
        assert task_id not in worker.jobs
    await _assert_uninterrupted_text(task_id)
    assert (await _event_kinds(task_id)).count("resumed") == 1
    await assert_no_running_task_without_a_lease()
