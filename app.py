"""The ASGI entry: `uvicorn app:app` serves /graphql, /healthz and /readyz."""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager

from opentelemetry.sdk.trace import TracerProvider
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from db.engine import close_pool, start_pool
from db.serving import ImportRunning, serving_lock
from db.tables.auth import UserAccount
from observability import metrics
from observability.logs import configure_logging
from observability.tracing import build_tracer_provider
from resolvers.ai_tasks.worker import worker_from_settings
from resolvers.assets.storage import check_storage_dir
from resolvers.big_fish.live import LIVE_RUNS
from resolvers.runs.sweeps import sweeper_from_settings
from schema.assets.http import ROUTES as ASSET_ROUTES
from schema.build import build_schema
from schema.failures import ErrorBarrier
from schema.graphiql.routes import ROUTES as GRAPHIQL_ROUTES
from schema.metrics_http import metrics_routes, start_pool_sampler
from schema.migration.http import ROUTES as MIGRATION_ROUTES
from schema.persisted import persisted_from_settings
from schema.public_cache import cache_from_settings, start_watch
from schema.request_context import RequestContext
from schema.view import GraphQLView
from settings import ConfigurationError, Settings, get_settings
from subscriptions.bus import Hub, install_hub
from subscriptions.revocations import Revocations, install_registry

logger = logging.getLogger("genarrative")


class OneLineStartupFailure:
    """A ConfigurationError in the lifespan fails start-up with its one line as the
    `lifespan.startup.failed` message (uvicorn logs it, then exits with status 3) instead
    of the traceback Starlette would send."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return
        held: list[Message] = []

        async def hold_failure(message: Message) -> None:
            if message["type"] == "lifespan.startup.failed":
                held.append(message)
            else:
                await send(message)

        try:
            await self.app(scope, receive, hold_failure)
        except ConfigurationError as error:
            await send({"type": "lifespan.startup.failed", "message": str(error)})
            return
        except BaseException:
            for message in held:  # any other failure goes out as Starlette reported it
                await send(message)
            raise
        for message in held:
            await send(message)


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


def create_app(
    settings: Settings | None = None, *, tracer_provider: TracerProvider | None = None
) -> Starlette:
    """Assemble the service; the bus, the database pool, the generation worker and the
    runs sweeper live in the lifespan. `tracer_provider` turns tracing on with it (tests);
    else TRACING_ENABLED makes one."""
    settings = settings or get_settings()
    owns_provider = tracer_provider is None and settings.tracing_enabled
    provider = tracer_provider
    if owns_provider:
        provider = build_tracer_provider(
            exporter=settings.tracing_exporter,
            service_name=settings.otel_service_name,
            otlp_endpoint=settings.otel_exporter_otlp_endpoint,
        )
    schema = build_schema(settings, tracer_provider=provider)
    public_cache = cache_from_settings(schema._schema, settings)
    # The fast path skips per-resolver spans, so tracing turns it off.
    view = GraphQLView(
        schema,
        settings,
        public_cache,
        persisted_from_settings(settings),
        fast_path=settings.fast_path_enabled and provider is None,
    )
    engine = UserAccount._meta.db
    # After the engine: Piccolo's version probe logs "Running Postgres version 0.0" when the
    # server is down, which start-up then says in one line (DATABASE_URL).
    configure_logging(log_format=settings.log_lines(), level=settings.log_level)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        check_storage_dir(settings.asset_storage_dir)
        # SQLite: held while serving, so `manage.py import` refuses to run (docs/ops.md).
        serving = serving_lock(engine)
        try:
            serving.__enter__()
        except ImportRunning as error:
            raise ConfigurationError(f"DATABASE_URL: {error}") from None
        owns_pool = await start_pool(engine, max_size=settings.database_pool_size)
        hub = Hub(
            settings.broadcast_url,
            queue_size=settings.realtime_queue_size,
            outage_poll_seconds=settings.realtime_outage_poll_seconds,
        )
        await hub.start()
        install_hub(hub)
        # The public-response cache serves once it follows the change events.
        watch = await start_watch(public_cache, hub) if public_cache is not None else None
        registry = Revocations(hub)
        await registry.start()
        install_registry(registry)
        # The generation worker (AI tasks) runs with the bus, and stops before it.
        worker = worker_from_settings(settings)
        if worker is not None:
            await worker.start()
        # Runs: expire those whose time is up, purge old event streams (RUN_SWEEP_SECONDS).
        sweeper = sweeper_from_settings(settings)
        if sweeper is not None:
            await sweeper.start()
        pool_sampler = start_pool_sampler(engine)  # multiprocess metrics only
        # Fewer, cheaper collections while serving (GC_GEN0_THRESHOLD, GC_FREEZE_AFTER_STARTUP).
        thresholds = gc.get_threshold()
        if settings.gc_gen0_threshold > 0:
            gc.set_threshold(settings.gc_gen0_threshold, *thresholds[1:])
        if settings.gc_freeze_after_startup:
            gc.collect()
            gc.freeze()
        try:
            yield
        finally:
            if settings.gc_freeze_after_startup:
                gc.unfreeze()
            gc.set_threshold(*thresholds)
            if pool_sampler is not None:
                pool_sampler.cancel()
            # Bounded whatever state the pool and the bus are in: each step gets what is
            # left of SHUTDOWN_TIMEOUT_SECONDS, the pool's connections are terminated last.
            deadline = ShutdownDeadline(settings.shutdown_timeout_seconds)
            if sweeper is not None:
                await deadline.run("the runs sweeper", sweeper.stop())
            # Live big-fish runs are saved as PAUSED and released (any process resumes).
            await deadline.run("the big-fish runs", LIVE_RUNS.stop_all())
            if worker is not None:
                await deadline.run("the generation worker", worker.stop())
            install_registry(None)
            await deadline.run("the revocation listener", registry.stop())
            if watch is not None:
                await deadline.run("the public cache's watch", watch.stop())
            install_hub(None)
            await deadline.run("the bus", hub.stop())
            if owns_provider and provider is not None:
                # Exports the spans still batched (a thread: the exporter blocks).
                await deadline.run("the tracer", asyncio.to_thread(provider.shutdown))
            if owns_pool:
                await close_pool(engine, within_seconds=deadline.left())
            metrics.mark_dead()  # multiprocess mode: this process's gauges leave the sums
            serving.__exit__(None, None, None)

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> JSONResponse:
        try:
            await UserAccount.raw("SELECT 1")
        except Exception:
            logger.exception("readiness check failed")
            return JSONResponse(
                {"status": "unavailable", "database": "unreachable"}, status_code=503
            )
        return JSONResponse({"status": "ok", "database": "reachable"})

    application = Starlette(
        routes=[
            Route("/graphql", view, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", view),
            *ASSET_ROUTES,
            *MIGRATION_ROUTES,
            *(GRAPHIQL_ROUTES if settings.graphiql_enabled else ()),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            *metrics_routes(settings, engine),  # /metrics unless METRICS_ENABLED=false
        ],
        lifespan=lifespan,
        # ErrorBarrier: an exception escaping a route is a JSON GraphQL error with the
        # request id (503 when the database is unreachable), never text/plain.
        # RequestContext: the request id (and span) every log line of the request carries.
        middleware=[
            Middleware(OneLineStartupFailure),
            Middleware(RequestContext, tracer_provider=provider),
            Middleware(ErrorBarrier),
        ],
    )
    application.state.public_cache = public_cache  # tests look into it
    return application


app = create_app()
