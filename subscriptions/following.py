"""Following a stream: replay of its log after a cursor, then live delivery from the bus,
with no gap and no duplicate (subscriptions/streams.py numbers and logs the entries).

`follow(stream_key, after=…)` subscribes to the bus first (the hub returns once the
channel is live), then replays the log after the cursor, then yields live entries,
dropping sequences already sent and filling any gap (a message that overtook another, a
publish lost with a dropped connection) from the log, and reading the log again after a
`{"resync": true}` marker (the hub reconnected) or a quiet period.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncGenerator
from functools import partial
from typing import Any

from db.faults import retrying
from subscriptions import bus, streams
from subscriptions.channels import stream_channel
from subscriptions.subscriber import Subscription

DEFAULT_PAGE_SIZE = 200
DEFAULT_RESYNC_SECONDS = 30.0
LIVE_BATCH_LIMIT = 64


async def follow(
    stream_key: str,
    *,
    after: int | None,
    hub: bus.Hub | None = None,
    page_size: int = DEFAULT_PAGE_SIZE,
    resync_seconds: float = DEFAULT_RESYNC_SECONDS,
) -> AsyncGenerator[list[streams.StreamEntry], None]:
    """Every entry of the stream after `after`, once and in order, then live ones.

    `after=None` starts at the stream's current end (live only). Yields batches (a replay
    page, or the live messages queued at once) so the caller loads each batch's events
    with one query. Raises `SubscriberOverflow` when the consumer fell more than the
    queue size behind (or the channel was lost): resume with the last sequence seen.
    Its reads are retried while the database is unavailable (db/faults.py), then the
    error is raised: the consumer asks its client to resubscribe from its last sequence.
    """
    hub = hub or bus.current_hub()
    if hub is None:
        raise RuntimeError("no bus is running in this process")
    async with hub.subscribe(stream_channel(stream_key)) as live:
        resync = _resync_every(resync_seconds)
        resync.followers.add(live)
        try:
            # Subscribed first: everything committed from now on will also arrive live. The
            # log is read through `streams.` at each call, so a stand-in for it takes effect.
            if after is None:
                last = await retrying(partial(streams.current_sequence, stream_key))
            else:
                last = after
            up_to: int | None = None  # None: read the log to its end
            while True:
                # Replay or catch up: the log holds every committed entry.
                while up_to is None or last < up_to:
                    page = await retrying(
                        partial(
                            streams.replay, stream_key, after=last, limit=page_size, up_to=up_to
                        )
                    )
                    if page:
                        last = page[-1].sequence
                        yield page
                    if len(page) < page_size:
                        break
                up_to = None
                while True:
                    messages = await live.get_many(limit=LIVE_BATCH_LIMIT)
                    if any(message.get("resync") for message in messages):
                        # The periodic resync, or the bus reconnected: whatever a lost publish
                        # carried is in the log.
                        break
                    fresh = sorted(
                        {
                            entry.sequence: entry
                            for entry in map(streams.StreamEntry.from_message, messages)
                            if entry is not None
                            and entry.stream == stream_key
                            and entry.sequence > last
                        }.values(),
                        key=lambda entry: entry.sequence,
                    )
                    if not fresh:
                        continue
                    if fresh[-1].sequence - last == len(fresh):
                        last = fresh[-1].sequence
                        yield fresh  # contiguous: no need to read the log
                        continue
                    # A gap: the missing entries were committed before these, so the log has them.
                    up_to = fresh[-1].sequence
                    break
        finally:
            resync.followers.discard(live)


class _Resync:
    """Every `seconds`, a `{"resync": true}` into each follower's queue (one timer for all
    of them, rather than a timeout on every read): a follower that missed a publish (lost
    with a dropped connection) reads it from the log at the latest then. Followers are
    spread over `SLICES` ticks of the period, so a thousand idle ones never catch up at once.
    """

    SLICES = 30

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.loop = asyncio.get_running_loop()
        self.followers: weakref.WeakSet[Subscription] = weakref.WeakSet()
        self.task = self.loop.create_task(self._tick())

    async def _tick(self) -> None:
        tick = 0
        while True:
            await asyncio.sleep(self.seconds / self.SLICES)
            if not self.followers:
                return  # the next follower starts a new timer
            tick = (tick + 1) % self.SLICES
            for follower in list(self.followers):
                if id(follower) // 16 % self.SLICES == tick:
                    follower.offer(RESYNC)


RESYNC: dict[str, Any] = {"resync": True}
_resyncs: dict[float, _Resync] = {}


def _resync_every(seconds: float) -> _Resync:
    resync = _resyncs.get(seconds)
    if resync is None or resync.loop is not asyncio.get_running_loop() or resync.task.done():
        resync = _resyncs[seconds] = _Resync(seconds)
    return resync
