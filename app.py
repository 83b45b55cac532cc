"""The ASGI entry: `uvicorn app:app` serves /graphql, /healthz and /readyz."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from opentelemetry.sdk.trace import TracerProvider
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from db.tables.auth import UserAccount
from observability.logs import configure_logging
from observability.tracing import build_tracer_provider
from schema.assets.http import ROUTES as ASSET_ROUTES
from schema.build import build_schema
from schema.failures import ErrorBarrier
from schema.graphiql.routes import ROUTES as GRAPHIQL_ROUTES
from schema.metrics_http import metrics_routes
from schema.migration.http import ROUTES as MIGRATION_ROUTES
from schema.persisted import persisted_from_settings
from schema.public_cache import cache_from_settings
from schema.request_context import RequestContext
from schema.view import GraphQLView
from services import Services
from settings import ConfigurationError, Settings, get_settings

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


async def _healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def _readyz(request: Request) -> JSONResponse:
    try:
        await UserAccount.raw("SELECT 1")
    except Exception:
        logger.exception("readiness check failed")
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "reachable"})


def create_app(
    settings: Settings | None = None, *, tracer_provider: TracerProvider | None = None
) -> Starlette:
    """Assemble the service; the bus, the database pool, the generation worker and the
    runs sweeper live in the lifespan (`services.Services`). `tracer_provider` turns
    tracing on with it (tests); else TRACING_ENABLED makes one."""
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
        services = Services(settings, engine, public_cache, provider if owns_provider else None)
        try:
            await services.start()
            yield
        finally:
            await services.stop()

    application = Starlette(
        routes=[
            Route("/graphql", view, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", view),
            *ASSET_ROUTES,
            *MIGRATION_ROUTES,
            *(GRAPHIQL_ROUTES if settings.graphiql_enabled else ()),
            Route("/healthz", _healthz),
            Route("/readyz", _readyz),
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
