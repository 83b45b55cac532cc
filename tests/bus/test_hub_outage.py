"""A bus outage degrades delivery, never silences it: while Redis is down, followers read
their streams' logs every poll period, a new follower replays at once, publishing fails
with one warning (not one per publish); once Redis is back, live delivery resumes.
Redis here is the test's own server (tests/redis_server.py), killed and restarted."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections.abc import AsyncIterator

import pytest

from db.transactions import write_transaction
from resolvers import clock
from subscriptions import following, streams
from subscriptions.backends import MemoryBackend
from subscriptions.bus import Hub
from subscriptions.channels import stream_channel
from subscriptions.outage import Outage
from tests.redis_server import RedisServer
from tests.waiting import eventually

POLL = 0.2


@contextlib.asynccontextmanager
async def _hub(url: str) -> AsyncIterator[Hub]:
    hub = Hub(url, outage_poll_seconds=POLL)
    await hub.start()
    try:
        yield hub
    finally:
        await hub.stop()


async def _write(hub: Hub, stream: str, numbers: range) -> None:
    for number in numbers:
        async with write_transaction():
            entries = await streams.append(
                [stream], kind="test", event_id=f"e{number}", occurred_at=clock.now()
            )
        for entry in entries:
            await hub.publish(stream_channel(entry.stream), entry.message())


def _follow(hub: Hub, stream: str, into: list[int]) -> asyncio.Task[None]:
    async def follow() -> None:
        async for batch in following.follow(stream, after=0, hub=hub):
            into.extend(entry.sequence for entry in batch)

    return asyncio.create_task(follow())


async def test_followers_poll_and_replay_while_redis_is_down(
    own_redis: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="genarrative.bus")
    stream = f"outage:{secrets.token_hex(4)}"
    channel = stream_channel(stream)
    async with _hub(own_redis.url) as writer, _hub(own_redis.url) as reader:
        # given a follower on the reading hub that received events 1-5 live
        first: list[int] = []
        following = [_follow(reader, stream, first)]
        await eventually(lambda: reader.subscriber_count(channel) == 1)
        await _write(writer, stream, range(1, 6))
        await eventually(lambda: first == [1, 2, 3, 4, 5])
        try:
            # when Redis dies and 20 more events are written (their publishes fail)
            await own_redis.kill()
            await eventually(lambda: not reader.outage.listening)
            written_at = time.monotonic()
            await _write(writer, stream, range(6, 26))
            # then the follower still receives them, from the log, within a poll or two
            await eventually(lambda: len(first) == 25, timeout=5 * POLL + 1)
            polled_in = time.monotonic() - written_at
            # and a follower that starts now replays the whole history at once
            second: list[int] = []
            started = time.monotonic()
            following.append(_follow(reader, stream, second))
            await eventually(lambda: len(second) == 25, timeout=2)
            replayed_in = time.monotonic() - started
            # when Redis is back
            await own_redis.start()
            await eventually(lambda: reader.outage.listening, timeout=10)
            await _write(writer, stream, range(26, 31))
            # then both get the rest, every sequence once and in order
            await eventually(lambda: len(first) == len(second) == 30)
        finally:
            for task in following:
                task.cancel()
            await asyncio.gather(*following, return_exceptions=True)
    assert first == second == list(range(1, 31))
    assert polled_in < 3 * POLL + 0.5
    assert replayed_in < 0.5
    # and the outage cost four log lines, not one per publish
    messages = [record.getMessage() for record in caplog.records]
    expected = (
        "bus unreachable (",
        "publishing on the bus failed (",
        "bus reachable again after ",
        "publishing on the bus works again; ",
    )
    assert len(messages) == 4, messages
    assert [sum(m.startswith(prefix) for m in messages) for prefix in expected] == [1, 1, 1, 1]


async def test_publishes_are_dropped_without_trying_between_probes() -> None:
    # given an outage seen by a failed publish
    outage = Outage(list, poll_seconds=60)
    outage.publish_failed(ConnectionError("refused"))
    # then later publishes are dropped without trying, until the next probe
    assert [outage.should_try_publish() for _ in range(3)] == [False, False, False]
    assert outage.dropped_publishes == 4
    outage.published()
    assert (outage.dropped_publishes, outage.should_try_publish()) == (0, True)


class FlakyBackend(MemoryBackend):
    """An in-memory backend whose first SUBSCRIBE fails, as on a connection just lost."""

    def __init__(self) -> None:
        super().__init__()
        self.failures = 1

    async def subscribe(self, channel: str) -> None:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("connection lost")
        await super().subscribe(channel)


async def test_a_failed_subscribe_does_not_wait_and_the_hub_reconnects_at_once() -> None:
    # given a hub whose backend fails the next SUBSCRIBE
    hub = Hub("memory://", backend=FlakyBackend(), outage_poll_seconds=POLL)
    await hub.start()
    try:
        async with hub.subscribe("flaky") as subscription:
            # then subscribing returned, the hub reconnected and subscribed the channel
            await eventually(lambda: hub.outage.listening and hub.reconnections == 1)
            # and messages published from then on arrive live
            await hub.publish("flaky", {"n": 1})
            messages: list[dict[str, object]] = []
            async with asyncio.timeout(5):
                while {"n": 1} not in messages:
                    messages += await subscription.get_many(limit=10)
    finally:
        await hub.stop()
    assert messages == [{"resync": True}, {"n": 1}]  # the reconnection's marker first
