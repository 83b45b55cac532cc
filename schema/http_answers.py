"""How the view turns what happened to an HTTP request into its response: refusals (a body
over the limit, a refused persisted query, a malformed request, a failure outside
execution) as GraphQL error bodies with `extensions.code`, and the status and headers of
an executed result (GraphQL-over-HTTP: 400 for a request error under
`application/graphql-response+json`, 503 when only the database was missing)."""

from __future__ import annotations

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Message, Receive
from strawberry.http import GraphQLHTTPResponse
from strawberry.types.execution import ExecutionResult

from observability import metrics
from schema.errors import SERVICE_UNAVAILABLE
from schema.failures import error_response, failure_response, retry_after
from schema.http_rules import GRAPHQL_RESPONSE, HTTP_CODES, request_error_status
from schema.persisted import PersistedQueryRefused


class BodyTooLarge(Exception):
    pass


def limited(receive: Receive, limit: int) -> Receive:
    """`receive` that raises BodyTooLarge once the body read so far exceeds `limit` bytes
    (a chunked body declares no length)."""
    received = 0

    async def limited_receive() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyTooLarge()
        return message

    return limited_receive


def refusal_response(
    error: Exception, request: Request, request_id: str, media_type: str, max_body_bytes: int
) -> Response:
    """The response to a request that raised `error` before or around execution."""
    if isinstance(error, PersistedQueryRefused):
        # Apollo's answers: NotFound and NotSupported are 200 whatever the Accept header
        # (a client retries with the document, or stops hashing), never to be cached.
        metrics.record_request(metrics.OTHER, metrics.REQUEST_ERROR, None)
        return error_response(
            error.status,
            error.message,
            error.code,
            request_id=request_id,
            media_type=media_type,
            headers={"Cache-Control": "private, no-cache, must-revalidate"},
        )
    if isinstance(error, BodyTooLarge):
        metrics.record_request(metrics.OTHER, metrics.REQUEST_ERROR, None)
        return error_response(
            413,
            f"Request bodies are limited to {max_body_bytes} bytes.",
            "REQUEST_TOO_LARGE",
            request_id=request_id,
            media_type=media_type,
        )
    if isinstance(error, HTTPException):
        metrics.record_request(metrics.OTHER, metrics.REQUEST_ERROR, None)
        status = request_error_status(error, request.method, media_type)
        response = error_response(
            status,
            error.reason,
            HTTP_CODES.get(status, "BAD_REQUEST"),
            request_id=request_id,
            media_type=media_type,
        )
        if status == 405:
            # Strawberry's own 405 refuses other methods; ours, a mutation over GET.
            response.headers["Allow"] = "GET, POST" if error.status_code == 405 else "POST"
        return response
    # Outside execution (authentication in get_context, the transport): a 503 when
    # the database is unreachable, else a logged 500; JSON with the request id.
    metrics.record_request(metrics.OTHER, metrics.INTERNAL_ERROR, None)
    return failure_response(error, request_id=request_id, media_type=media_type)


def finish_response(response: Response, request: Request, media_type: str, request_id: str) -> None:
    """Status and headers of an answered request, from what `mark_result` noted."""
    unavailable = getattr(request.state, "unavailable", None)
    if unavailable is not None:
        response.headers["Retry-After"] = retry_after()
        if unavailable == "all":
            response.status_code = 503
    if getattr(request.state, "request_error", False) and media_type == GRAPHQL_RESPONSE:
        response.status_code = 400
    if response.media_type == "application/json" or response.headers.get(
        "content-type", ""
    ).startswith("application/json"):
        response.headers["content-type"] = media_type
    response.headers["X-Request-ID"] = request_id


def mark_result(request: Request, result: ExecutionResult, processed: GraphQLHTTPResponse) -> None:
    """Note on the request what its status depends on (`finish_response` reads it)."""
    # A request error: nothing executed (no data), and no error belongs to a field. The
    # GraphQL spec: such a response carries no `data` entry.
    if result.data is None and result.errors and all(not e.path for e in result.errors):
        request.state.request_error = True
        processed.pop("data", None)
    codes = [(error.extensions or {}).get("code") for error in result.errors or ()]
    if SERVICE_UNAVAILABLE in codes:
        # Nothing succeeded (no data) and only the database was missing: 503.
        every = result.data is None and all(code == SERVICE_UNAVAILABLE for code in codes)
        request.state.unavailable = "all" if every else "some"
