"""What runs beside the app while it serves: the serving lock, the database pool, the bus
and what listens on it, the generation worker, the runs sweeper and the collector's
tuning. `Services.start` starts them in order; `Services.stop` stops them in reverse,
within one time budget (`ShutdownDeadline`)."""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import Awaitable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from opentelemetry.sdk.trace import TracerProvider

from db.engine import close_pool, start_pool
from db.serving import ImportRunning, serving_lock
from observability import metrics
from resolvers.ai_tasks.worker import GenerationWorker, worker_from_settings
from resolvers.assets.storage import check_storage_dir
from resolvers.big_fish.live import LIVE_RUNS
from resolvers.runs.sweeps import RunSweeper, sweeper_from_settings
from schema.metrics_http import start_pool_sampler
from schema.public_cache import PublicCache, start_watch
from settings import ConfigurationError, Settings
from subscriptions.bus import Hub, install_hub
from subscriptions.revocations import Revocations, install_registry
from subscriptions.watches import ChannelWatch

logger = logging.getLogger("genarrative")


class ShutdownDeadline:
    """One time budget for the lifespan's shutdown steps: a step still running when it
    is spent is cancelled (and logged), so SIGTERM ends the process in bounded time."""

    # Left for the last step (terminating the pool's connections) however long the
    # others took.
    FLOOR_SECONDS = 0.5

    def __init__(self, seconds: float) -> None:
        self.ends = time.monotonic() + seconds

    def left(self) -> float:
        return max(self.ends - time.monotonic(), self.FLOOR_SECONDS)

    async def run(self, what: str, step: Awaitable[object]) -> None:
        try:
            await asyncio.wait_for(step, self.left())
        except TimeoutError:
            logger.warning("shutdown: stopping %s took too long; cut off", what)
        except Exception:
            logger.exception("shutdown: stopping %s failed", what)


@dataclass(eq=False)
class Services:
    """The app's companions for one lifespan (each field is set by `start`)."""

    settings: Settings
    engine: Any
    public_cache: PublicCache | None
    # A tracer provider the app made itself (TRACING_ENABLED), shut down with it.
    owned_provider: TracerProvider | None
    serving: AbstractContextManager[None] | None = None
    owns_pool: bool = False
    hub: Hub | None = None
    watch: ChannelWatch | None = None
    registry: Revocations | None = None
    worker: GenerationWorker | None = None
    sweeper: RunSweeper | None = None
    pool_sampler: asyncio.Task[None] | None = None
    thresholds: tuple[int, ...] = ()

    async def start(self) -> None:
        settings = self.settings
        check_storage_dir(settings.asset_storage_dir)
        # SQLite: held while serving, so `manage.py import` refuses to run (docs/ops.md).
        serving = serving_lock(self.engine)
        try:
            serving.__enter__()
        except ImportRunning as error:
            raise ConfigurationError(f"DATABASE_URL: {error}") from None
        self.serving = serving
        self.owns_pool = await start_pool(self.engine, max_size=settings.database_pool_size)
        await self._start_bus()
        # The generation worker (AI tasks) runs with the bus, and stops before it.
        self.worker = worker_from_settings(settings)
        if self.worker is not None:
            await self.worker.start()
        # Runs: expire those whose time is up, purge old event streams (RUN_SWEEP_SECONDS).
        self.sweeper = sweeper_from_settings(settings)
        if self.sweeper is not None:
            await self.sweeper.start()
        self.pool_sampler = start_pool_sampler(self.engine)  # multiprocess metrics only
        self._tune_collector()

    async def _start_bus(self) -> None:
        settings = self.settings
        hub = Hub(
            settings.broadcast_url,
            queue_size=settings.realtime_queue_size,
            outage_poll_seconds=settings.realtime_outage_poll_seconds,
        )
        await hub.start()
        install_hub(hub)
        self.hub = hub
        # The public-response cache serves once it follows the change events.
        if self.public_cache is not None:
            self.watch = await start_watch(self.public_cache, hub)
        self.registry = Revocations(hub)
        await self.registry.start()
        install_registry(self.registry)

    def _tune_collector(self) -> None:
        """Fewer, cheaper collections while serving (GC_GEN0_THRESHOLD,
        GC_FREEZE_AFTER_STARTUP)."""
        self.thresholds = gc.get_threshold()
        if self.settings.gc_gen0_threshold > 0:
            gc.set_threshold(self.settings.gc_gen0_threshold, *self.thresholds[1:])
        if self.settings.gc_freeze_after_startup:
            gc.collect()
            gc.freeze()

    async def stop(self) -> None:
        """Bounded whatever state the pool and the bus are in: each step gets what is left
        of SHUTDOWN_TIMEOUT_SECONDS; the pool's connections are terminated last."""
        if self.settings.gc_freeze_after_startup:
            gc.unfreeze()
        if self.thresholds:
            gc.set_threshold(*self.thresholds)
        if self.pool_sampler is not None:
            self.pool_sampler.cancel()
        deadline = ShutdownDeadline(self.settings.shutdown_timeout_seconds)
        if self.sweeper is not None:
            await deadline.run("the runs sweeper", self.sweeper.stop())
        # Live big-fish runs are saved as PAUSED and released (any process resumes).
        await deadline.run("the big-fish runs", LIVE_RUNS.stop_all())
        if self.worker is not None:
            await deadline.run("the generation worker", self.worker.stop())
        await self._stop_bus(deadline)
        if self.owned_provider is not None:
            # Exports the spans still batched (a thread: the exporter blocks).
            await deadline.run("the tracer", asyncio.to_thread(self.owned_provider.shutdown))
        if self.owns_pool:
            await close_pool(self.engine, within_seconds=deadline.left())
        metrics.mark_dead()  # multiprocess mode: this process's gauges leave the sums
        if self.serving is not None:
            self.serving.__exit__(None, None, None)

    async def _stop_bus(self, deadline: ShutdownDeadline) -> None:
        install_registry(None)
        if self.registry is not None:
            await deadline.run("the revocation listener", self.registry.stop())
        if self.watch is not None:
            await deadline.run("the public cache's watch", self.watch.stop())
        install_hub(None)
        if self.hub is not None:
            await deadline.run("the bus", self.hub.stop())
