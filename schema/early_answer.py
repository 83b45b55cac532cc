"""Answering a planned document before Strawberry's request handling.

A POST whose JSON body names a document the fast path has a plan for (schema/plan/) skips
Strawberry's HTTP machinery (its request adapter, body parsing, request data, operation
dispatch): the view reads the body, authenticates, and runs the operation through the same
`execute_request` (plan, public-response cache, or executor when the plan gives up), then
answers with Strawberry's `process_result` and `create_response`, so the bytes, status and
headers are those of the normal path (the view applies the same media type, request id,
503 and request-error rules to both).

Everything that could be answered differently takes the normal path: another method, a
content type Strawberry would not read as JSON, an `Accept` asking for a stream (SSE,
multipart), no declared body length (a body over the limit must fail as it always does),
a body that is not one JSON object with a well-typed `query`, `variables`,
`operationName` and `extensions`, a persisted operation that is refused, a document with
no plan. The body is read and decoded once: the normal path reads it again from the
request's cache, and `decoded_before` hands it the JSON decoded here for those same bytes.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response
from strawberry.http.parse_content_type import parse_content_type

from schema.persisted import PersistedQueryRefused

if TYPE_CHECKING:
    from schema.view import GraphQLView

# The body this request's early answer decoded, and its JSON (one request per task).
_decoded: ContextVar[tuple[bytes, object] | None] = ContextVar("early_decoded", default=None)


def decoded_before(body: str | bytes) -> tuple[bool, object]:
    """(True, its JSON) when the early answer already decoded these very bytes (the
    request's cached body), so the normal path does not decode them again."""
    found = _decoded.get()
    if found is not None and found[0] is body:
        return True, found[1]
    return False, None


async def early_answer(view: GraphQLView, request: Request) -> Response | None:
    """The response to a planned document, or None: the normal path answers."""
    fast_path = view.fast_path
    if fast_path is None or request.method != "POST":
        return None
    headers = request.headers
    content_type, _ = parse_content_type(headers.get("content-type", ""))
    if "application/json" not in content_type or not headers.get("content-length"):
        return None
    if view._get_stream_transport_from_headers(headers) is not None:
        return None
    data = _request_data(view, await request.body())
    if data is None:
        return None
    query, variables, operation_name, extensions = data
    if view.persisted is not None:
        try:
            query = view.persisted.resolve(query, extensions)
        except PersistedQueryRefused:
            return None
    if query is None or fast_path.plan_for(query, operation_name) is None:
        return None
    sub_response = await view.get_sub_response(request)
    context = await view.get_context(request, response=sub_response)
    result = await view.execute_request(
        request, "POST", query, variables, operation_name, extensions, context
    )
    processed = await view.process_result(request, result)
    if result.errors:
        view._handle_errors(result.errors, processed)
    return view.create_response(response_data=processed, sub_response=sub_response)


def _request_data(
    view: GraphQLView, body: bytes
) -> tuple[str | None, dict[str, Any] | None, str | None, dict[str, Any] | None] | None:
    """(query, variables, operationName, extensions) of a well-formed single operation (no
    query: a persisted operation's hash stands for it)."""
    try:
        data = view.decode_json(body)
    except Exception:
        return None  # the normal path reports it
    _decoded.set((body, data))
    if not isinstance(data, dict):
        return None
    query = data.get("query")
    variables = data.get("variables")
    operation_name = data.get("operationName")
    extensions = data.get("extensions")
    if (
        not isinstance(query, str | None)
        or not isinstance(variables, dict | None)
        or not isinstance(operation_name, str | None)
        or not isinstance(extensions, dict | None)
    ):
        return None
    return query, variables, operation_name, extensions
