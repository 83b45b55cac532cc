"""What a public result depends on, as its resolvers say it while it executes: the works
a `gallery` page shows (`note_works`), the stream a leaderboard's board follows
(`note_stream`). The public-response cache (schema/public_cache.py) collects it to know
which invalidations drop the result; outside the cache nothing is collected."""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field

STREAM_SUBJECT = "stream:"


@dataclass(slots=True)
class Collector:
    """What the resolvers of one execution said about the works they read."""

    subjects: set[str] = field(default_factory=set)
    streams: set[str] = field(default_factory=set)
    named: int = 0
    unnamed: bool = False


current_collector: ContextVar[Collector | None] = ContextVar("public_cache_collector", default=None)


def note_works(entry_keys: Iterable[str], *, complete: bool) -> None:
    """A `gallery` page says which works (entry keys) it shows; `complete` False when a
    like-count change of any other work can change it too (an order by likes)."""
    collector = current_collector.get()
    if collector is None:
        return
    if complete:
        collector.subjects.update(entry_keys)
        collector.named += 1
    else:
        collector.unnamed = True


def note_stream(stream_key: str) -> None:
    """A result depends on one stream's events alone (a leaderboard's board): the cache
    follows the stream, and an event on it drops the results that noted it."""
    collector = current_collector.get()
    if collector is None:
        return
    collector.streams.add(stream_key)
    collector.subjects.add(STREAM_SUBJECT + stream_key)
    collector.named += 1
