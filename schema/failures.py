"""Every request error is a GraphQL error: the last line of defence outside execution.

Errors inside GraphQL execution are shaped by the error policy (schema/errors.py). What
escapes it (authenticating the bearer token in the view's `get_context`, an HTTP route
outside /graphql, a bug in the transport) used to reach Starlette's ServerErrorMiddleware,
which answers `500 text/plain "Internal Server Error"` with no request id. Here instead:

- a database that cannot be reached (db/faults.py): **503** SERVICE_UNAVAILABLE with
  `Retry-After`, logged as one line;
- anything else: **500** INTERNAL_SERVER_ERROR, logged with its traceback;

both as a GraphQL error body (`errors[0].extensions.code`, `.requestId`) with the
`X-Request-ID` header. `ErrorBarrier` wraps the whole app; the view calls
`failure_response` itself so that the body takes the media type the client asked for.
A response that already started (an event stream) cannot be replaced: that failure is
logged and the connection ends.
"""

from __future__ import annotations

import logging
import re

import orjson
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from db.faults import is_unavailable
from resolvers.ids import new_id
from schema.errors import SERVICE_UNAVAILABLE, UNAVAILABLE_MESSAGE

logger = logging.getLogger("genarrative.http")

# Seconds a client should wait before retrying a 503: a lost connection is replaced at
# once, a restarting server takes a few seconds.
RETRY_AFTER_SECONDS = 1
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def retry_after() -> str:
    return str(RETRY_AFTER_SECONDS)


def error_response(
    status: int,
    message: str,
    code: str,
    *,
    request_id: str,
    media_type: str = "application/json",
    headers: dict[str, str] | None = None,
) -> Response:
    """A GraphQL error body (one error with `code` and `requestId`) with `X-Request-ID`."""
    body = {"errors": [{"message": message, "extensions": {"code": code, "requestId": request_id}}]}
    return Response(
        orjson.dumps(body),
        status_code=status,
        media_type=media_type,
        headers={**(headers or {}), "X-Request-ID": request_id},
    )


def failure_response(
    error: BaseException, *, request_id: str, media_type: str = "application/json"
) -> Response:
    """The JSON answer to an exception no GraphQL execution shaped."""
    if is_unavailable(error):
        logger.warning("database unavailable (request %s): %r", request_id, error)
        return error_response(
            503,
            UNAVAILABLE_MESSAGE,
            SERVICE_UNAVAILABLE,
            request_id=request_id,
            media_type=media_type,
            headers={"Retry-After": retry_after()},
        )
    logger.error("unexpected error (request %s)", request_id, exc_info=error)
    return error_response(
        500,
        "Internal server error.",
        "INTERNAL_SERVER_ERROR",
        request_id=request_id,
        media_type=media_type,
    )


def scope_request_id(scope: Scope) -> str:
    """The request's id: the one the view chose (kept in the scope's state), else the
    client's `X-Request-ID` when it is well formed, else a new one."""
    state = scope.setdefault("state", {})
    chosen = state.get("request_id")
    if isinstance(chosen, str) and chosen:
        return chosen
    given = Headers(scope=scope).get("x-request-id", "")
    return given if _REQUEST_ID.match(given) else new_id()


class ErrorBarrier:
    """ASGI middleware: an exception escaping the app becomes `failure_response` (HTTP,
    before the response started) or a 1011 close (a WebSocket not yet accepted)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        scope.setdefault("state", {})  # shared with the view's request.state
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] in ("http.response.start", "websocket.accept", "websocket.close"):
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as error:
            if started:
                raise  # too late to answer: uvicorn logs it and drops the connection
            request_id = scope_request_id(scope)
            if scope["type"] == "websocket":
                logger.error("unexpected error (socket %s)", request_id, exc_info=error)
                await send({"type": "websocket.close", "code": 1011, "reason": "Server error"})
                return
            response = failure_response(error, request_id=request_id)
            await response(scope, receive, send)
