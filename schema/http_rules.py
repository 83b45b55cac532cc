"""GraphQL-over-HTTP's rules for statuses and media types (the view applies them).

- The response's media type follows the request's Accept, q-values included:
  application/graphql-response+json when the client names it and prefers it to
  application/json; application/json otherwise (no Accept, `*/*`).
- A request Strawberry refused before executing it: a mutation over GET is a 405; an
  unknown or missing operation name is a GraphQL request error (200 with
  application/json, 400 with application/graphql-response+json).
"""

from __future__ import annotations

from cross_web import HTTPException
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError

GRAPHQL_RESPONSE = "application/graphql-response+json"


# The code a refused HTTP request carries in `extensions.code`, by status.
HTTP_CODES = {
    400: "BAD_REQUEST",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    413: "REQUEST_TOO_LARGE",
    429: "TOO_MANY_STREAMS",
}
SUBSCRIPTION_NEEDS_SSE = (
    "Subscriptions over HTTP need `Accept: text/event-stream` (GraphQL over SSE); "
    "or subscribe over a WebSocket (graphql-transport-ws)."
)


def request_error_status(error: HTTPException, method: str, media_type: str) -> int:
    """The status of a request Strawberry refused before executing it (GraphQL-over-HTTP)."""
    cause = error.__cause__
    if isinstance(cause, InvalidOperationTypeError) and method == "GET":
        # GraphQL-over-HTTP: a mutation over GET MUST be a 405 (with `Allow: POST`).
        return 405 if cause.operation_type.value == "mutation" else error.status_code
    if isinstance(cause, CannotGetOperationTypeError) and isinstance(
        cause.operation_name, str | None
    ):
        # An unknown or missing operation name is a GraphQL request error (a non-string
        # `operationName` is a malformed request: 400).
        return 400 if media_type == GRAPHQL_RESPONSE else 200
    return error.status_code


def response_media_type(accept: str) -> str:
    """application/graphql-response+json when the client names it and prefers it to
    application/json (q-values); else application/json, also for no Accept or `*/*`."""
    wanted = _quality(accept, GRAPHQL_RESPONSE)
    if wanted[1] == 2 and wanted[0] > 0 and wanted[0] >= _quality(accept, "application/json")[0]:
        return GRAPHQL_RESPONSE
    return "application/json"


def _quality(accept: str, media_type: str) -> tuple[float, int]:
    """The q-value the Accept header gives media_type, and how specific the range that
    gives it is (2 exact, 1 `type/*`, 0 `*/*`, -1 none)."""
    ranges = {media_type: 2, media_type.split("/")[0] + "/*": 1, "*/*": 0}
    found = (0.0, -1)
    for part in accept.split(","):
        name, *parameters = (piece.strip() for piece in part.split(";"))
        specificity = ranges.get(name.lower(), -1)
        if specificity < 0 or specificity < found[1]:
            continue
        quality = 1.0
        for parameter in parameters:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        found = (quality, specificity)
    return found
