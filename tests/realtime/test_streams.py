"""Streams: gap-free numbering inside writers' transactions, replay-then-live following."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest

from db.tables.realtime import RealtimeStreamEvent
from db.transactions import write_transaction
from resolvers import clock
from resolvers.ids import new_id
from subscriptions import bus, streams
from subscriptions.channels import stream_channel
from subscriptions.following import follow as follow_stream
from subscriptions.subscriber import SubscriberOverflow

STREAM = "test:stream"


async def _append(*, publish: bool = True, keys: tuple[str, ...] = (STREAM,)) -> int:
    async with write_transaction():
        entries = await streams.append(
            list(keys), kind="tick", event_id=new_id(), occurred_at=clock.now()
        )
    if publish:
        await streams.publish(entries)
    return entries[0].sequence


class Follower:
    """Collects what `follow_stream` yields, in a task of its own."""

    def __init__(self, after: int | None, resync_seconds: float = 30.0) -> None:
        self.sequences: list[int] = []
        self.batches: list[list[int]] = []
        self.changed = asyncio.Event()
        self.after = after
        self.resync_seconds = resync_seconds

    async def run(self) -> None:
        follow = follow_stream(
            STREAM, after=self.after, page_size=3, resync_seconds=self.resync_seconds
        )
        async with contextlib.aclosing(follow) as batches:
            async for batch in batches:
                self.batches.append([entry.sequence for entry in batch])
                self.sequences += [entry.sequence for entry in batch]
                self.changed.set()

    async def until(self, count: int, timeout: float = 5) -> list[int]:
        async with asyncio.timeout(timeout):
            while len(self.sequences) < count:
                self.changed.clear()
                await self.changed.wait()
        return self.sequences


@contextlib.asynccontextmanager
async def following(
    hub: bus.Hub, after: int | None, resync_seconds: float = 30.0
) -> AsyncIterator[Follower]:
    follower = Follower(after, resync_seconds)
    task = asyncio.create_task(follower.run())
    async with asyncio.timeout(5):
        await hub.subscribed(stream_channel(STREAM))
    try:
        yield follower
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_append_refuses_to_run_outside_a_transaction() -> None:
    with pytest.raises(RuntimeError):
        await streams.append([STREAM], kind="tick", event_id="e", occurred_at=clock.now())
    assert await RealtimeStreamEvent.count() == 0


async def test_concurrent_writers_get_gap_free_sequences_in_every_stream() -> None:
    # when 20 transactions each number one event in two streams at once
    sequences = await asyncio.gather(
        *[_append(publish=False, keys=(STREAM, "test:other")) for _ in range(20)]
    )
    # then each stream holds 1..20 once, and both number the events in the same order
    assert sorted(sequences) == list(range(1, 21))
    rows = await RealtimeStreamEvent.select().order_by(RealtimeStreamEvent.sequence)
    by_stream: dict[str, list[Any]] = {}
    for row in rows:
        by_stream.setdefault(row["stream_key"], []).append(row)
    for key in (STREAM, "test:other"):
        assert [row["sequence"] for row in by_stream[key]] == list(range(1, 21))
    assert [row["event_id"] for row in by_stream[STREAM]] == [
        row["event_id"] for row in by_stream["test:other"]
    ]
    assert await streams.current_sequence(STREAM) == 20


async def test_a_follower_replays_after_its_cursor_then_follows_live(hub: bus.Hub) -> None:
    # given 7 stored events
    for _ in range(7):
        await _append()
    # when a follower starts after 2 (replay pages of 3)
    async with following(hub, after=2) as follower:
        assert await follower.until(5) == [3, 4, 5, 6, 7]
        # then live events follow, once each
        await _append()
        await _append()
        assert await follower.until(7) == [3, 4, 5, 6, 7, 8, 9]
    assert follower.batches[:2] == [[3, 4, 5], [6, 7]]


async def test_a_follower_without_a_cursor_gets_only_new_events(hub: bus.Hub) -> None:
    await _append()
    await _append()
    async with following(hub, after=None) as follower:
        await _append()
        assert await follower.until(1) == [3]


async def test_gaps_are_filled_from_the_log_and_duplicates_dropped(hub: bus.Hub) -> None:
    async with following(hub, after=0) as follower:
        # a publish that never arrives (2), then one that does (3): the gap is read
        await _append()
        await _append(publish=False)
        await _append()
        assert await follower.until(3) == [1, 2, 3]
        # a message overtaking another (5 published before 4), and a repeated one
        async with write_transaction():
            fourth = await streams.append([STREAM], kind="t", event_id="4", occurred_at=clock.now())
        async with write_transaction():
            fifth = await streams.append([STREAM], kind="t", event_id="5", occurred_at=clock.now())
        await streams.publish(fifth)
        await streams.publish(fourth)
        await streams.publish(fifth)
        await _append()
        assert await follower.until(6) == [1, 2, 3, 4, 5, 6]


async def test_a_resync_marker_or_a_quiet_period_reads_what_was_missed(hub: bus.Hub) -> None:
    async with following(hub, after=0, resync_seconds=0.2) as follower:
        # the hub reconnected: it tells followers to read the log
        await _append(publish=False)
        await hub.publish(stream_channel(STREAM), {"resync": True})
        assert await follower.until(1) == [1]
        # nothing at all arrives: the follower looks at the log after a quiet period
        await _append(publish=False)
        assert await follower.until(2, timeout=3) == [1, 2]


async def test_overflow_raises_subscriber_overflow(hub: bus.Hub) -> None:
    hub.queue_size = 4
    await _append()
    follow = follow_stream(STREAM, after=0)
    try:
        assert [entry.sequence for entry in await anext(follow)] == [1]
        # when 10 live events arrive while the consumer is not reading
        for _ in range(10):
            await _append()
        # then the next read tells it to resume from its cursor
        with pytest.raises(SubscriberOverflow):
            await anext(follow)
    finally:
        await follow.aclose()
