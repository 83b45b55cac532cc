"""Prometheus metrics of the service: the definitions, and the scrape's text.

Every layer records here with one call (`REQUESTS.labels(...).inc()`, …); this module
imports no layer and no settings, so what it needs at scrape time (the queue depth) is
passed in. Names start with `genarrative_`.

Label rules, so that clients cannot grow the set of time series:
- `operation` is the one root field an operation selects (`viewer`, `authLogin`,
  `aiTaskEvents`), checked against the schema's root types, or `introspection`; anything
  else (several root fields, fragments at the root, a document that does not parse, a
  field the schema does not have, a request refused before it ran) is `other`. The
  client's `operationName` never becomes a label.
- `outcome` is one of `OUTCOMES`.

Several processes (`uvicorn --workers N`): with PROMETHEUS_MULTIPROC_DIR set before this
module is imported, prometheus_client keeps every value in files of that folder, one per
process; a scrape, whichever process serves it, adds them up (`MultiProcessCollector`).
Gauges are per live process (`livesum`): `mark_dead` at shutdown drops the process's own.
The folder must be empty when the service starts (bin/serve makes a fresh one).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from typing import Final

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.gc_collector import GCCollector
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector
from prometheus_client.registry import Collector

if _folder := os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    # prometheus_client opens its files there as the metrics below are created.
    os.makedirs(_folder, exist_ok=True)

CONTENT_TYPE: Final = CONTENT_TYPE_PLAIN_0_0_4
OTHER: Final = "other"
INTROSPECTION: Final = "introspection"
OK: Final = "ok"
GRAPHQL_ERROR: Final = "graphql_error"  # it ran; a field failed (NOT_FOUND, FORBIDDEN, …)
REQUEST_ERROR: Final = "request_error"  # nothing ran: parse, validation, limits, bad HTTP
INTERNAL_ERROR: Final = "internal_error"  # an unexpected exception (masked for the client)
OUTCOMES: Final = (OK, GRAPHQL_ERROR, REQUEST_ERROR, INTERNAL_ERROR)

# The values of this process; in multiprocess mode they also go to the folder's files.
REGISTRY: Final = CollectorRegistry(auto_describe=True)

REQUESTS: Final = Counter(
    "genarrative_graphql_requests",
    "GraphQL operations finished, by operation (its root field, else `other`) and outcome. "
    "Subscriptions count when they end.",
    ["operation", "outcome"],
    registry=REGISTRY,
)
REQUEST_SECONDS: Final = Histogram(
    "genarrative_graphql_request_duration_seconds",
    "Time to answer a query or mutation (parse, validate, execute), by operation.",
    ["operation"],
    registry=REGISTRY,
)
WEBSOCKETS_OPEN: Final = Gauge(
    "genarrative_websockets_open",
    "GraphQL WebSocket connections open (both subprotocols).",
    registry=REGISTRY,
    multiprocess_mode="livesum",
)
SSE_STREAMS_OPEN: Final = Gauge(
    "genarrative_sse_streams_open",
    "GraphQL-over-SSE streams open.",
    registry=REGISTRY,
    multiprocess_mode="livesum",
)
SUBSCRIPTIONS_ACTIVE: Final = Gauge(
    "genarrative_subscriptions_active",
    "Subscriptions running (WebSocket or SSE), by root field.",
    ["field"],
    registry=REGISTRY,
    multiprocess_mode="livesum",
)
BUS_DELIVERY_LAG: Final = Histogram(
    "genarrative_bus_delivery_lag_seconds",
    "Time from a bus publish (any process) to its arrival at this process's listener "
    "(wall clocks: processes on different hosts add their clock skew).",
    registry=REGISTRY,
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
LEASE_TAKEOVERS: Final = Counter(
    "genarrative_ai_task_lease_takeovers",
    "Generations a worker claimed that another worker had held before (its lease expired "
    "when that worker stopped, or it handed the task back at shutdown): one per such claim.",
    registry=REGISTRY,
)
PUBLIC_CACHE_LOOKUPS: Final = Counter(
    "genarrative_public_cache_lookups",
    "Anonymous queries the public-response cache could answer, by outcome: `hit` (served "
    "from the cache, or from a concurrent identical request's execution) or `miss` "
    "(executed).",
    ["outcome"],
    registry=REGISTRY,
)
DB_POOL_CONNECTIONS: Final = Gauge(
    "genarrative_db_pool_connections",
    "Database connections of the pool (asyncpg, or the kept SQLite ones), by state: "
    "`in_use` lent out, `idle` kept open and free.",
    ["state"],
    registry=REGISTRY,
    multiprocess_mode="livesum",
)
DB_POOL_MAX: Final = Gauge(
    "genarrative_db_pool_max_connections",
    "Most connections the pool may open (DATABASE_POOL_SIZE per process).",
    registry=REGISTRY,
    multiprocess_mode="livesum",
)

# What the process itself costs (CPU, memory, GC); in multiprocess mode they describe the
# scraping process only, so they are left out there.
ProcessCollector(registry=REGISTRY)
PlatformCollector(registry=REGISTRY)
GCCollector(registry=REGISTRY)


def multiprocess_dir() -> str | None:
    """The folder prometheus_client shares values through (set before import), if any."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def record_request(operation: str, outcome: str, seconds: float | None) -> None:
    """One finished operation; `seconds` None for subscriptions (their lifetime is no
    latency)."""
    REQUESTS.labels(operation, outcome).inc()
    if seconds is not None:
        REQUEST_SECONDS.labels(operation).observe(seconds)


def record_bus_delivery(published_at: object) -> None:
    """A bus message arrived; `published_at` is its publisher's `time.time()` (messages of
    older publishers carry none)."""
    if isinstance(published_at, int | float):
        BUS_DELIVERY_LAG.observe(max(time.time() - published_at, 0.0))


def record_pool(*, in_use: int, idle: int, max_size: int) -> None:
    DB_POOL_CONNECTIONS.labels("in_use").set(in_use)
    DB_POOL_CONNECTIONS.labels("idle").set(idle)
    DB_POOL_MAX.set(max_size)


def queue_depth(value: int) -> GaugeMetricFamily:
    """The generations waiting for a worker, read by the scrape (one database count for
    all processes, so never summed)."""
    family = GaugeMetricFamily(
        "genarrative_ai_task_queue_depth", "Generations queued and not yet claimed by a worker."
    )
    family.add_metric([], value)
    return family


class _Scrape(Collector):
    def __init__(self, base: Collector, extra: Iterable[Metric]) -> None:
        self.base = base
        self.extra = list(extra)

    def collect(self) -> Iterator[Metric]:
        yield from self.base.collect()
        yield from self.extra


def render(extra: Iterable[Metric] = ()) -> bytes:
    """The exposition text of a scrape: this process's values (single process) or every
    process's (multiprocess mode), plus `extra` families read for this scrape."""
    path = multiprocess_dir()
    if path is None:
        return generate_latest(_Scrape(REGISTRY, extra))
    merged = CollectorRegistry()
    multiprocess.MultiProcessCollector(merged, path=path)  # type: ignore[no-untyped-call]
    return generate_latest(_Scrape(merged, extra))


def mark_dead(pid: int | None = None) -> None:
    """At shutdown (multiprocess mode): drop this process's live gauges from the sums."""
    path = multiprocess_dir()
    if path is not None:
        multiprocess.mark_process_dead(  # type: ignore[no-untyped-call]
            os.getpid() if pid is None else pid, path
        )
