"""The public-response cache: anonymous results of public queries, shared by anonymous callers.

Rules (docs/performance.md, "Public-response cache"):
- Only anonymous HTTP requests (no `Authorization` header at all: a signed-in result
  carries `viewerHasLiked` and is never shared), and only queries whose every root field is
  in the allow-list (schema/public_queries.py). Keyed by (document, operation name,
  variables). Results with errors are never stored.
- Invalidation: the gallery's change events (`galleryChanges`), which every process
  receives through the bus (subscriptions/watches.py), drop results as they arrive, before
  any other task runs, so once an event has arrived no older result is served. A
  like-count change names its work (StreamEntry.subject): it drops the results that show
  that work and those that cannot say which works they show (any field but a `gallery`
  page ordered by HOT or NEWEST, or a leaderboard); every other gallery event drops
  everything. A leaderboard's board is its own stream, followed once a result needs it (that
  first result is not stored): its events drop the results of that board. A resync (the bus
  reconnected) or an outage poll drops everything.
- A result is stored only if no invalidation that concerns it arrived while it was being
  read (a generation counter and a short log of what each invalidation dropped).
- Entries also expire after PUBLIC_CACHE_TTL_SECONDS (plays emit no event); the cache is
  bounded in entries and bytes (least recently used first out).
- Concurrent identical misses execute once: the others wait for that result, if no
  invalidation arrived before they joined.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import orjson
from graphql import GraphQLSchema
from strawberry.types.execution import ExecutionResult

from observability import metrics
from resolvers.gallery.model import GALLERY_STREAM, GalleryChangeKind
from schema.cache_notes import STREAM_SUBJECT, Collector, current_collector
from schema.public_queries import Plan, Plans
from settings import Settings
from subscriptions.bus import Hub
from subscriptions.channels import stream_channel
from subscriptions.watches import ChannelWatch

WATCHED_CHANNELS = (stream_channel(GALLERY_STREAM),)
LIKE_COUNT_CHANGED = GalleryChangeKind.LIKE_COUNT_CHANGED.value
LOG_KEPT = 1024
# Streams followed on demand (a leaderboard's board each); past this many, results that
# depend on another are not stored.
MAX_WATCHED_STREAMS = 1000

Key = tuple[str, str, bytes]


@dataclass(slots=True)
class Entry:
    data: dict[str, Any]
    label: str
    expires: float
    size: int
    subjects: frozenset[str] | None  # the works it shows; None: any change drops it


@dataclass(slots=True)
class _Flight:
    generation: int
    future: asyncio.Future[dict[str, Any] | None]


class PublicCache:
    def __init__(
        self, schema: GraphQLSchema, *, ttl_seconds: float, max_entries: int, max_bytes: int
    ) -> None:
        self.schema = schema
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.ready = False  # serving only while the watch of the change events is live
        self.generation = 0
        self.bytes = 0
        self._entries: OrderedDict[Key, Entry] = OrderedDict()
        self._by_subject: dict[str, set[Key]] = {}
        self._unnamed: set[Key] = set()
        self._log: deque[tuple[int, str | None]] = deque(maxlen=LOG_KEPT)
        self._plans = Plans(schema)
        self._flights: dict[Key, _Flight] = {}
        self.watch: ChannelWatch | None = None
        self._adding: set[asyncio.Task[None]] = set()

    def __len__(self) -> int:
        return len(self._entries)

    # --- serving -------------------------------------------------------------------------

    async def execute(
        self,
        query: str | None,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        run: Callable[[], Awaitable[ExecutionResult]],
    ) -> ExecutionResult:
        """The result of an anonymous request: from the cache, or `run()` (and kept)."""
        if not self.ready or not query or not isinstance(operation_name, str | None):
            return await run()  # a malformed operation name: the executor refuses it
        plan = self.plan(query, operation_name)
        if not plan.cacheable:
            return await run()
        try:
            key: Key = (
                query,
                operation_name or "",
                orjson.dumps(variables or {}, option=orjson.OPT_SORT_KEYS),
            )
        except TypeError:
            return await run()
        started = time.perf_counter()
        entry = self._lookup(key)
        if entry is not None:
            return self._hit(entry.data, plan.label, started)
        flight = self._flights.get(key)
        if flight is not None and flight.generation == self.generation:
            shared = await asyncio.shield(flight.future)
            if shared is not None:
                return self._hit(shared, plan.label, started)
            return await run()
        metrics.PUBLIC_CACHE_LOOKUPS.labels("miss").inc()
        flight = _Flight(self.generation, asyncio.get_running_loop().create_future())
        self._flights[key] = flight
        collector = Collector()
        token = current_collector.set(collector)
        data: dict[str, Any] | None = None
        try:
            result = await run()
            if not result.errors and result.data is not None and not result.extensions:
                data = result.data
                self._store(key, data, plan, flight.generation, collector)
            return result
        finally:
            current_collector.reset(token)
            if self._flights.get(key) is flight:
                del self._flights[key]
            flight.future.set_result(data)

    def _hit(self, data: dict[str, Any], label: str, started: float) -> ExecutionResult:
        metrics.PUBLIC_CACHE_LOOKUPS.labels("hit").inc()
        metrics.record_request(label, metrics.OK, time.perf_counter() - started)
        return ExecutionResult(data=data, errors=None)

    def plan(self, query: str, operation_name: str | None) -> Plan:
        return self._plans.plan(query, operation_name)

    # --- entries -------------------------------------------------------------------------

    def _lookup(self, key: Key) -> Entry | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.expires <= time.monotonic():
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        return entry

    def _store(
        self, key: Key, data: dict[str, Any], plan: Plan, since: int, collector: Collector
    ) -> None:
        named = plan.naming_fields > 0 and collector.named == plan.naming_fields
        subjects = frozenset(collector.subjects) if named and not collector.unnamed else None
        if not self._unchanged_since(since, subjects) or not self._following(collector.streams):
            return
        size = len(orjson.dumps(data))
        if size > self.max_bytes or self.max_entries <= 0:
            return
        self._drop(key)
        self._entries[key] = Entry(
            data, plan.label, time.monotonic() + self.ttl_seconds, size, subjects
        )
        self.bytes += size
        if subjects is None:
            self._unnamed.add(key)
        else:
            for subject in subjects:
                self._by_subject.setdefault(subject, set()).add(key)
        while len(self._entries) > self.max_entries or self.bytes > self.max_bytes:
            self._drop(next(iter(self._entries)))

    def _following(self, streams: set[str]) -> bool:
        """Whether the events of every stream the result depends on reach the cache; those
        not followed yet are followed from now on, and this result is not stored (an event
        may have been missed while it was read)."""
        watch = self.watch
        if not streams:
            return True
        if watch is None:
            return False
        missing = {stream_channel(stream) for stream in streams} - watch.live
        if not missing:
            return True
        if len(watch.live) + len(missing) <= MAX_WATCHED_STREAMS + len(WATCHED_CHANNELS):
            for channel in missing:
                task = asyncio.get_running_loop().create_task(watch.add(channel))
                self._adding.add(task)
                task.add_done_callback(self._adding.discard)
        return False

    def _unchanged_since(self, since: int, subjects: frozenset[str] | None) -> bool:
        """No invalidation that concerns `subjects` arrived after generation `since`."""
        if self.generation == since:
            return True
        if not self._log or self._log[0][0] > since + 1:
            return False  # the log no longer reaches back that far
        for generation, subject in self._log:
            if generation > since and (subject is None or subjects is None or subject in subjects):
                return False
        return True

    def _drop(self, key: Key) -> None:
        entry = self._entries.pop(key, None)
        if entry is None:
            return
        self.bytes -= entry.size
        if entry.subjects is None:
            self._unnamed.discard(key)
            return
        for subject in entry.subjects:
            keys = self._by_subject.get(subject)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._by_subject[subject]

    # --- invalidation (the bus's listener task calls it as messages arrive) -------------

    def on_message(self, message: dict[str, Any]) -> None:
        if message.get("closed"):
            self.ready = False
            self.invalidate(None)
            return
        stream, kind, subject = message.get("stream"), message.get("kind"), message.get("subject")
        if stream == GALLERY_STREAM:
            if kind == LIKE_COUNT_CHANGED and isinstance(subject, str) and subject:
                self.invalidate(subject)
            else:
                self.invalidate(None)
        elif isinstance(stream, str) and kind is not None:
            self.invalidate(STREAM_SUBJECT + stream)  # a followed stream's event (a board's)
        else:
            self.invalidate(None)  # a resync, an outage poll

    def invalidate(self, subject: str | None) -> None:
        """Drop what a change of `subject` (None: of anything) makes stale."""
        self.generation += 1
        self._log.append((self.generation, subject))
        if subject is None:
            self._entries.clear()
            self._by_subject.clear()
            self._unnamed.clear()
            self.bytes = 0
            return
        for key in [*self._by_subject.get(subject, ()), *self._unnamed]:
            self._drop(key)


def cache_from_settings(schema: GraphQLSchema, settings: Settings) -> PublicCache | None:
    if not settings.public_cache_enabled or settings.public_cache_ttl_seconds <= 0:
        return None
    return PublicCache(
        schema,
        ttl_seconds=settings.public_cache_ttl_seconds,
        max_entries=settings.public_cache_max_entries,
        max_bytes=settings.public_cache_max_bytes,
    )


async def start_watch(cache: PublicCache, hub: Hub) -> ChannelWatch:
    """Follow the change events on the bus; the cache serves from then on."""
    watch = ChannelWatch(hub, WATCHED_CHANNELS, cache.on_message)
    await watch.start()
    cache.watch = watch
    cache.ready = True
    return watch
