"""Streams of events with gap-free sequences: numbered and logged, published, replayed.

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
- `replay(stream_key, after=…)` reads the log after a cursor; following a stream (replay,
  then live entries, no gap, no duplicate whatever the timing of writers and reconnecting
  clients) is subscriptions/following.py.

Imports only `db` (and the bus): the domains give the meaning of event ids.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from db.tables.realtime import RealtimeStreamCounter, RealtimeStreamEvent
from db.transactions import in_transaction
from subscriptions import bus
from subscriptions.channels import stream_channel

logger = logging.getLogger("genarrative.streams")


def stream_log(alias: str) -> str:
    """The stream log table as `alias`, for a domain's statement that pages its events in
    one statement with their stream positions (`ai_tasks.reading`)."""
    return f"realtime_stream_event {alias}"


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
