"""The ASGI entry: `uvicorn app:app` serves /graphql, /healthz and /readyz."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from db.engine import close_pool, start_pool
from db.tables.auth import UserAccount
from resolvers.ai_tasks.worker import worker_from_settings
from resolvers.runs.sweeps import sweeper_from_settings
from schema.assets.http import ROUTES as ASSET_ROUTES
from schema.build import build_schema
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


def create_app(settings: Settings | None = None) -> Starlette:
    """Assemble the service; the bus, the database pool, the generation worker and the
    runs sweeper live in the lifespan."""
    settings = settings or get_settings()
    view = GraphQLView(build_schema(settings), settings)
    engine = UserAccount._meta.db

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        owns_pool = await start_pool(engine, max_size=settings.database_pool_size)
        hub = Hub(settings.broadcast_url, queue_size=settings.realtime_queue_size)
        await hub.start()
        install_hub(hub)
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
            if sweeper is not None:
                await sweeper.stop()
            if worker is not None:
                await worker.stop()
            install_registry(None)
            await registry.stop()
            install_hub(None)
            await hub.stop()
            if owns_pool:
                await close_pool(engine)

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

    return Starlette(
        routes=[
            Route("/graphql", view, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", view),
            *ASSET_ROUTES,
            Route("/healthz", healthz),
            Route("/readyz", readyz),
        ],
        lifespan=lifespan,
        middleware=[Middleware(OneLineStartupFailure)],
    )


app = create_app()
