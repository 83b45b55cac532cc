"""Error policy: codes on every top-level error, and no internals ever reach a client.

- `AccessError`s (resolvers.errors) become `extensions.code` UNAUTHENTICATED, FORBIDDEN,
  NOT_FOUND, BAD_USER_INPUT.
- Parse, validation, variable and limit errors get GRAPHQL_PARSE_FAILED,
  GRAPHQL_VALIDATION_FAILED, BAD_USER_INPUT, QUERY_TOO_DEEP, TOO_MANY_ALIASES,
  TOO_MANY_TOKENS.
- A database that cannot be reached or a connection lost (db/faults.py) is
  SERVICE_UNAVAILABLE with a fixed message and `extensions.requestId`: try again shortly
  (the view answers 503 with `Retry-After` when nothing else succeeded).
- Anything else is masked ("Internal server error") and logged with the request id, which
  the error carries as `extensions.requestId`.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from graphql.error import GraphQLError
from strawberry.extensions import MaskErrors
from strawberry.schema.exceptions import InvalidOperationTypeError

from db.faults import is_unavailable
from resolvers.errors import AccessError

logger = logging.getLogger("genarrative.errors")

SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
UNAVAILABLE_MESSAGE = "The service cannot reach its database right now; try again shortly."

_MESSAGE_CODES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"exceeds maximum operation depth"), "QUERY_TOO_DEEP"),
    (re.compile(r"aliases found\. Allowed"), "TOO_MANY_ALIASES"),
    (re.compile(r"more than \d+ tokens"), "TOO_MANY_TOKENS"),
    (re.compile(r"^Syntax Error"), "GRAPHQL_PARSE_FAILED"),
    (re.compile(r"^Variable '\$"), "BAD_USER_INPUT"),
    (re.compile(r"^Unknown operation named"), "BAD_USER_INPUT"),
    (re.compile(r"introspection is disabled", re.IGNORECASE), "INTROSPECTION_DISABLED"),
]


def code_for(error: GraphQLError) -> str | None:
    """The code of an error that may be shown as it is, or None when it must be masked."""
    existing = (error.extensions or {}).get("code")
    original = error.original_error
    if isinstance(original, InvalidOperationTypeError):
        return "OPERATION_NOT_ALLOWED"
    if isinstance(original, AccessError):
        return original.code
    if original is not None and is_unavailable(original):
        return SERVICE_UNAVAILABLE
    if original is not None and not isinstance(original, GraphQLError):
        return str(existing) if existing else None
    if existing:
        return str(existing)
    for pattern, code in _MESSAGE_CODES:
        if pattern.search(error.message):
            return code
    return "GRAPHQL_VALIDATION_FAILED" if not error.path else None


class ErrorPolicy(MaskErrors):
    """Adds codes to showable errors; masks and logs the rest."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=lambda error: code_for(error) is None)

    def _process_result(self, result: object) -> None:
        # MaskErrors' test, `isinstance(result, <runtime Protocol with errors>)`, is a
        # hasattr walk costing more than the rest of a streamed event: the same test.
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = self._process_errors(errors)  # type: ignore[attr-defined]

    def process_stream_result(self, result: Any) -> None:
        """MaskErrors.on_stream_result without the context manager: all its work happens
        before the result is yielded (schema/extension_runner.py calls this instead)."""
        self._stream_result_processed = True
        self._process_stream_result(result)

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        request_id = getattr(self.execution_context.context, "request_id", "-")
        processed: list[GraphQLError] = []
        for error in errors:
            code = code_for(error)
            if code is None:
                logger.error(
                    "unexpected error (request %s) at %s",
                    request_id,
                    error.path,
                    exc_info=error.original_error or error,
                )
                processed.append(
                    GraphQLError(
                        "Internal server error.",
                        nodes=error.nodes,
                        path=error.path,
                        extensions={
                            "code": "INTERNAL_SERVER_ERROR",
                            "requestId": request_id,
                        },
                    )
                )
                continue
            if code == SERVICE_UNAVAILABLE:
                # Not a bug: one line, no traceback (a lost connection can hit many requests).
                logger.warning(
                    "database unavailable (request %s) at %s: %s",
                    request_id,
                    error.path,
                    error.original_error,
                )
                processed.append(
                    GraphQLError(
                        UNAVAILABLE_MESSAGE,
                        nodes=error.nodes,
                        path=error.path,
                        extensions={"code": code, "requestId": request_id},
                    )
                )
                continue
            extensions: dict[str, Any] = {**(error.extensions or {}), "code": code}
            message = error.message
            if isinstance(error.original_error, InvalidOperationTypeError):
                operation = error.original_error.operation_type.value
                message = f"{operation.capitalize()} operations are not allowed here."
            processed.append(
                GraphQLError(
                    message,
                    nodes=error.nodes,
                    source=error.source,
                    positions=error.positions,
                    path=error.path,
                    extensions=extensions,
                )
            )
        return processed
