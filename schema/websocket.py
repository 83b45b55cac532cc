"""WebSocket auth: the token in `connection_init`, and 4401 when it expires or is revoked.

Both subprotocols (graphql-transport-ws and the legacy graphql-ws) share the same rules:
- no token: an anonymous connection (public streams only);
- a refused token: the socket closes with 4401 instead of being acknowledged;
- an accepted token: a guard task closes the socket with 4401 at the token's expiry or as
  soon as a revocation for it arrives on the bus (logout, logout-all, refresh reuse);
- a database that cannot be reached while checking the token: the socket closes with 1013
  ("try again later") instead of 1011 with the driver's message.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime
from typing import Any, cast

from graphql import GraphQLFormattedError
from starlette.websockets import WebSocket, WebSocketState
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ErrorMessage as TransportErrorMessage,
)
from strawberry.subscriptions.protocols.graphql_ws.handlers import BaseGraphQLWSHandler
from strawberry.subscriptions.protocols.graphql_ws.types import ErrorMessage as LegacyErrorMessage

from db.faults import is_unavailable
from observability import metrics
from resolvers import clock
from resolvers.auth.authenticate import principal_from_token
from resolvers.auth.tokens import InvalidToken
from schema.context import Context
from schema.direct_frames import frame_sink
from schema.persisted import PersistedQueries, PersistedQueryRefused
from subscriptions.revocations import Watch, current_registry

UNAUTHORIZED = 4401
TRY_AGAIN_LATER = 1013
UNAVAILABLE_REASON = "Database unavailable: reconnect shortly."
TOKEN_KEYS = ("authorization", "Authorization", "token", "accessToken")


class TokenRefused(Exception):
    """The token in `connection_init` cannot be accepted."""


class CannotCheckToken(Exception):
    """The database could not be reached to check the token: retry, it is not refused."""


def bearer_from_params(params: dict[str, Any] | None) -> str | None:
    for key in TOKEN_KEYS:
        value = (params or {}).get(key)
        if isinstance(value, str) and value.strip():
            return value.removeprefix("Bearer ").strip()
    return None


async def authenticate_connection(context: Context) -> None:
    """Called from `on_ws_connect`: verify the token and start the connection's guard."""
    token = bearer_from_params(context.connection_params)
    if token is None:
        return
    try:
        principal = await principal_from_token(token)
    except InvalidToken as error:
        raise TokenRefused(str(error)) from error
    except Exception as error:
        if is_unavailable(error):
            raise CannotCheckToken() from error
        raise
    context.principal = principal
    watch = Watch(
        user_id=principal.user_id,
        session_id=principal.session_id,
        token_version=principal.token_version,
        expires_at=principal.expires_at,
    )
    registry = current_registry()
    if registry is not None:
        registry.watch(watch)
    context.watch = watch
    assert isinstance(context.request, WebSocket)
    context.guard = asyncio.create_task(_guard(context.request, watch))


async def _guard(websocket: WebSocket, watch: Watch) -> None:
    timeout = _seconds_until(watch.expires_at)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(watch.revoked.wait(), timeout=timeout)
    watch.revoked.set()  # expiry counts as revocation for per-event checks
    if websocket.application_state == WebSocketState.CONNECTED:
        with contextlib.suppress(RuntimeError):
            await websocket.close(code=UNAUTHORIZED, reason="Unauthorized")


def _seconds_until(moment: datetime | None) -> float | None:
    if moment is None:
        return None
    return max((moment - clock.now()).total_seconds(), 0.0)


def release_connection(context: Context) -> None:
    """Stop the guard and forget the watch (connection closed)."""
    if context.guard is not None:
        context.guard.cancel()
    registry = current_registry()
    if registry is not None and context.watch is not None:
        registry.unwatch(context.watch)


def _resolve_persisted(view: Any, message: Any) -> dict[str, Any] | None:
    """Put the document of a persisted query in the message's payload; the error to send
    instead when it cannot run."""
    persisted: PersistedQueries | None = getattr(view, "persisted", None)
    payload = message.get("payload")
    if persisted is None or not isinstance(payload, dict):
        return None
    extensions = payload.get("extensions")
    try:
        payload["query"] = persisted.resolve(
            payload.get("query"), extensions if isinstance(extensions, dict) else None
        )
    except PersistedQueryRefused as error:
        return {"message": error.message, "extensions": {"code": error.code}}
    return None


class TransportWsHandler(BaseGraphQLTransportWSHandler[Context, None]):
    async def handle(self) -> None:
        with metrics.WEBSOCKETS_OPEN.track_inprogress():
            await super().handle()

    async def handle_connection_init(self, message: Any) -> None:
        try:
            await super().handle_connection_init(message)
        except TokenRefused:
            await self.websocket.close(code=UNAUTHORIZED, reason="Unauthorized")
        except CannotCheckToken:
            await self.websocket.close(code=TRY_AGAIN_LATER, reason=UNAVAILABLE_REASON)

    async def handle_subscribe(self, message: Any) -> None:
        # Persisted operations (schema/persisted.py): the hash stands for the document.
        refused = _resolve_persisted(self.view, message)
        if refused is not None:
            error: TransportErrorMessage = {
                "id": message["id"],
                "type": "error",
                "payload": [cast(GraphQLFormattedError, refused)],
            }
            await self.send_message(error)
            return
        await super().handle_subscribe(message)

    async def run_operation(self, operation: Operation[Context, None]) -> None:
        # In the operation's own task: its shared results' frames may skip Strawberry's
        # per-subscriber stream (schema/direct_frames.py).
        websocket = self.context.request
        if not isinstance(websocket, WebSocket):
            await super().run_operation(operation)
            return
        with frame_sink(operation.id, websocket, self.view.encode_json):
            await super().run_operation(operation)

    async def shutdown(self) -> None:
        release_connection(self.context)
        await super().shutdown()


class LegacyWsHandler(BaseGraphQLWSHandler[Context, None]):
    async def handle_start(self, message: Any) -> None:
        refused = _resolve_persisted(self.view, message)
        if refused is not None:
            error: LegacyErrorMessage = {
                "type": "error",
                "id": message["id"],
                "payload": cast(GraphQLFormattedError, refused),
            }
            await self.send_message(error)
            return
        await super().handle_start(message)

    async def handle_connection_init(self, message: Any) -> None:
        try:
            await super().handle_connection_init(message)
        except TokenRefused:
            await self.send_message({"type": "connection_error", "payload": {"code": UNAUTHORIZED}})
            await self.websocket.close(code=UNAUTHORIZED, reason="Unauthorized")
        except CannotCheckToken:
            await self.websocket.close(code=TRY_AGAIN_LATER, reason=UNAVAILABLE_REASON)

    async def handle(self) -> None:
        try:
            with metrics.WEBSOCKETS_OPEN.track_inprogress():
                await super().handle()
        finally:
            release_connection(self.context)
