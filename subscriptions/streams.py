"""Streams of events with gap-free sequences, replay after a cursor, and live delivery.

A stream is a named sequence of events: one AI task, one user's AI tasks, later one user's
assets or the gallery. Each event a domain records is numbered in each of its streams:

- `append(stream_keys, …)`, inside the writer's transaction, takes the next sequence of
  every stream from its counter row with one conditional upsert (`… SET sequence =
  sequence + 1 RETURNING sequence`), and logs `(stream, sequence) → event` in
  `realtime_stream_event`. The counter row stays locked until commit, so sequences are
  gap-free and their order is the order of commits. Streams are locked in sorted order so
  two writers never wait on each other in a cycle.
- `publish(entries)` after commit sends one small message per stream on the bus
  (stream, sequence, kind, event id): subscribers load what they render.
- `follow(stream_key, after=…)` subscribes to the bus first (the hub returns once the
  channel is live), then replays the log after the cursor, then yields live entries,
  dropping sequences already sent and filling any gap (a message that overtook another,
  a publish lost with a dropped connection) from the log, and reading the log again after
  a `{"resync": true}` marker (the hub reconnected) or a quiet period. No gap, no
  duplicate, whatever the timing of writers and reconnecting clients.

Imports only `db` (and the bus): the domains give the meaning of event ids.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import AsyncGenerator, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from typing import Any

from db.faults import retrying
from db.tables.realtime import RealtimeStreamCounter, RealtimeStreamEvent
from db.transactions import in_transaction
from subscriptions import bus
from subscriptions.channels import stream_channel

logger = logging.getLogger("genarrative.streams")

DEFAULT_PAGE_SIZE = 200


def stream_log(alias: str) -> str:
    """The stream log table as `alias`, for a domain's statement that pages its events in
    one statement with their stream positions (`ai_tasks.reading`)."""
    return f"realtime_stream_event {alias}"


DEFAULT_RESYNC_SECONDS = 30.0
LIVE_BATCH_LIMIT = 64


@dataclass(frozen=True, slots=True)
class StreamEntry:
    """One event's place in one stream."""

    stream: str
    sequence: int
    kind: str
    event_id: str
    # What changed, when the domain names it (a gallery change: its work's entry key); it
    # rides on the live message only (the public-response cache drops just what it names),
    # never in the log, so replayed entries have "".
    subject: str = ""

    def message(self) -> dict[str, Any]:
        message = {
            "stream": self.stream,
            "sequence": self.sequence,
            "kind": self.kind,
            "event_id": self.event_id,
        }
        if self.subject:
            message["subject"] = self.subject
        return message

    @classmethod
    def from_message(cls, message: dict[str, Any]) -> StreamEntry | None:
        try:
            return cls(
                stream=str(message["stream"]),
                sequence=int(message["sequence"]),
                kind=str(message["kind"]),
                event_id=str(message["event_id"]),
                subject=str(message.get("subject", "")),
            )
        except (KeyError, TypeError, ValueError):
            return None


@dataclass(frozen=True, slots=True)
class StreamEvent:
    """An event to number: its streams, kind and id in the domain's event table."""

    stream_keys: tuple[str, ...]
    kind: str
    event_id: str
    occurred_at: datetime


async def append(
    stream_keys: Iterable[str],
    *,
    kind: str,
    event_id: str,
    occurred_at: datetime,
    subject: str = "",
) -> list[StreamEntry]:
    """Number event `event_id` in each stream; call inside the writer's transaction.
    `subject` (optional) names what changed on the live messages (StreamEntry.subject)."""
    (entries,) = await append_many([StreamEvent(tuple(stream_keys), kind, event_id, occurred_at)])
    return [replace(entry, subject=subject) for entry in entries] if subject else entries


async def append_many(events: Sequence[StreamEvent]) -> list[list[StreamEntry]]:
    """Number several events, in the order given, with two statements whatever their
    number: one upsert of the counters (each stream advanced by its count of events, in
    sorted key order so concurrent writers lock counters in the same order), one insert
    into the log. Call inside the writer's transaction; returns each event's entries."""
    if not in_transaction():
        raise RuntimeError("streams.append must run inside the writing transaction")
    counts: dict[str, int] = {}
    for event in events:
        for key in set(event.stream_keys):
            stream_channel(key)  # refuse keys too long for a channel before writing anything
            counts[key] = counts.get(key, 0) + 1
    if not counts:
        return [[] for _ in events]
    keys = sorted(counts)
    moment = max(event.occurred_at for event in events)
    rows = await RealtimeStreamCounter.raw(
        "INSERT INTO realtime_stream_counter (stream_key, sequence, updated_at) VALUES "
        + ", ".join("({}, {}, {})" for _ in keys)
        + " ON CONFLICT (stream_key) DO UPDATE SET sequence = "
        "realtime_stream_counter.sequence + excluded.sequence, "
        "updated_at = excluded.updated_at RETURNING stream_key, sequence",
        *[value for key in keys for value in (key, counts[key], moment)],
    )
    # Each stream's new last sequence; the events take the numbers before it, in order.
    following = {
        row["stream_key"]: int(row["sequence"]) - counts[row["stream_key"]] + 1 for row in rows
    }
    numbered: list[list[StreamEntry]] = []
    arguments: list[Any] = []
    for event in events:
        entries = []
        for key in sorted(set(event.stream_keys)):
            sequence = following[key]
            following[key] = sequence + 1
            entries.append(StreamEntry(key, sequence, event.kind, event.event_id))
            arguments += [
                f"{key}#{sequence}",
                key,
                sequence,
                event.kind,
                event.event_id,
                event.occurred_at,
            ]
        numbered.append(entries)
    await RealtimeStreamEvent.raw(
        "INSERT INTO realtime_stream_event "
        "(entry_id, stream_key, sequence, event_kind, event_id, occurred_at) VALUES "
        + ", ".join("({}, {}, {}, {}, {}, {})" for _ in range(len(arguments) // 6)),
        *arguments,
    )
    return numbered


async def discard(stream_keys: Sequence[str]) -> None:
    """Forget whole streams, log and counter (a purge of streams that will not grow again,
    such as finished runs'): two statements for all of them, inside the caller's
    transaction."""
    if not in_transaction():
        raise RuntimeError("streams.discard must run inside a transaction")
    keys = sorted(set(stream_keys))
    if not keys:
        return
    marks = ", ".join("{}" for _ in keys)
    await RealtimeStreamEvent.raw(
        f"DELETE FROM realtime_stream_event WHERE stream_key IN ({marks})", *keys
    )
    await RealtimeStreamCounter.raw(
        f"DELETE FROM realtime_stream_counter WHERE stream_key IN ({marks})", *keys
    )


async def publish(entries: Iterable[StreamEntry]) -> None:
    """Tell subscribers after commit. A failed publish loses nothing: the next message on
    the stream (or the periodic resync) makes subscribers read the gap from the log."""
    for entry in entries:
        try:
            await bus.publish(stream_channel(entry.stream), entry.message())
        except Exception:
            logger.exception("publishing %s#%s failed", entry.stream, entry.sequence)


async def current_sequence(stream_key: str) -> int:
    """The stream's last sequence (0 before its first event)."""
    row = (
        await RealtimeStreamCounter.select(RealtimeStreamCounter.sequence)
        .where(RealtimeStreamCounter.stream_key == stream_key)
        .first()
    )
    return int(row["sequence"]) if row else 0


async def replay(
    stream_key: str, *, after: int, limit: int, up_to: int | None = None
) -> list[StreamEntry]:
    """Logged entries of a stream with a sequence above `after` (and at most `up_to`)."""
    bound = " AND sequence <= {}" if up_to is not None else ""
    arguments: list[Any] = [stream_key, after]
    if up_to is not None:
        arguments.append(up_to)
    rows = await RealtimeStreamEvent.raw(
        "SELECT sequence, event_kind, event_id FROM realtime_stream_event "
        f"WHERE stream_key = {{}} AND sequence > {{}}{bound} ORDER BY sequence LIMIT {int(limit)}",
        *arguments,
    )
    return [
        StreamEntry(
            stream=stream_key,
            sequence=int(row["sequence"]),
            kind=row["event_kind"],
            event_id=row["event_id"],
        )
        for row in rows
    ]


async def follow(
    stream_key: str,
    *,
    after: int | None,
    hub: bus.Hub | None = None,
    page_size: int = DEFAULT_PAGE_SIZE,
    resync_seconds: float = DEFAULT_RESYNC_SECONDS,
) -> AsyncGenerator[list[StreamEntry], None]:
    """Every entry of the stream after `after`, once and in order, then live ones.

    `after=None` starts at the stream's current end (live only). Yields batches (a replay
    page, or the live messages queued at once) so the caller loads each batch's events
    with one query. Raises `bus.SubscriberOverflow` when the consumer fell more than the
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
            # Subscribed first: everything committed from now on will also arrive live.
            if after is None:
                last = await retrying(partial(current_sequence, stream_key))
            else:
                last = after
            up_to: int | None = None  # None: read the log to its end
            while True:
                # Replay or catch up: the log holds every committed entry.
                while up_to is None or last < up_to:
                    page = await retrying(
                        partial(replay, stream_key, after=last, limit=page_size, up_to=up_to)
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
                            for entry in map(StreamEntry.from_message, messages)
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
        self.followers: weakref.WeakSet[bus.Subscription] = weakref.WeakSet()
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
