"""The /graphql endpoint: GraphQL over HTTP (POST, GET) and WebSocket, on Starlette.

On top of Strawberry's view:
- malformed HTTP requests (unparseable JSON, JSON nested deeper than MAX_JSON_DEPTH, wrong
  content type, a body over the limit, a `query` that is not a string) answer with a 4xx
  status and a GraphQL error body carrying `extensions.code`, never a 500 or plain text;
- GraphQL request errors (nothing executed: parse and validation failures, limits, bad
  variables, an unknown operation name) answer 200 to `Accept: application/json` (or no
  Accept) and 400 to `application/graphql-response+json`, with no `data` key either way
  (GraphQL-over-HTTP); a mutation over GET is a 405 with `Allow: POST`;
- `Accept: application/graphql-response+json` is honoured when preferred to
  application/json (q-values; GraphQL-over-HTTP);
- every response carries `X-Request-ID` (taken from the request when it sends one);
- a database that cannot be reached (db/faults.py) before execution (authenticating the
  bearer token) is a 503 SERVICE_UNAVAILABLE with `Retry-After`; during execution it is a
  field error with that code, and the status is 503 only when the result has no data at
  all (GraphQL-over-HTTP: a response with data is 2xx); anything else that escapes is a
  500 INTERNAL_SERVER_ERROR body with the request id, never plain text;
- bearer tokens are verified once per request; a refused token leaves the caller
  anonymous and private fields explain why.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

import orjson
from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.streaming import SSETransport
from strawberry.http.types import HTTPMethod
from strawberry.schema import BaseSchema
from strawberry.subscriptions import (
    GRAPHQL_SSE_PROTOCOL,
    GRAPHQL_TRANSPORT_WS_PROTOCOL,
    GRAPHQL_WS_PROTOCOL,
)
from strawberry.types.execution import ExecutionResult

from resolvers.auth.authenticate import principal_from_token
from resolvers.auth.tokens import InvalidToken
from schema.context import Context
from schema.early_answer import decoded_before, early_answer
from schema.failures import scope_request_id
from schema.graphiql.page import graphiql_page
from schema.guards import JsonTooDeep, decode_request_json
from schema.http_answers import (
    BodyTooLarge,
    finish_response,
    limited,
    mark_result,
    refusal_response,
)
from schema.http_execution import execute_http_operation
from schema.http_rules import response_media_type
from schema.persisted import PersistedQueries
from schema.plan.fast_path import FastPath
from schema.public_cache import PublicCache
from schema.sse import SseResponse, SseStream, SseStreams, StreamLimitReached, guarded
from schema.websocket import (
    LegacyWsHandler,
    TransportWsHandler,
    authenticate_connection,
)
from settings import Settings


class GraphQLView(GraphQL[Context, None]):
    graphql_transport_ws_handler_class = TransportWsHandler
    graphql_ws_handler_class = LegacyWsHandler

    def __init__(
        self,
        schema: BaseSchema,
        settings: Settings,
        public_cache: PublicCache | None = None,
        persisted: PersistedQueries | None = None,
        *,
        fast_path: bool = False,
    ) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if settings.graphiql_enabled else None,
            max_subscriptions_per_connection=settings.max_subscriptions_per_connection,
            allowed_origins=settings.ws_allowed_origins,
            subscription_protocols=(
                GRAPHQL_TRANSPORT_WS_PROTOCOL,
                GRAPHQL_WS_PROTOCOL,
                GRAPHQL_SSE_PROTOCOL,  # `Accept: text/event-stream` (schema/sse.py)
            ),
        )
        self.sse_streams = SseStreams(settings.max_sse_streams_per_user)
        self.max_body_bytes = settings.max_body_bytes
        self.max_json_depth = settings.max_json_depth
        # Compiled plans for validated public queries (schema/plan/); None: always execute.
        self.fast_path = FastPath(schema) if fast_path else None
        self.public_cache = public_cache
        self.persisted = persisted

    async def render_graphql_ide(self, request: Request) -> Response:
        # Our page loads the vendored assets from this host, not unpkg (schema/graphiql/).
        return graphiql_page()

    def encode_json(self, data: object) -> str:
        # Text, not bytes: the WebSocket protocols require text frames.
        return orjson.dumps(data).decode()

    def decode_json(self, data: str | bytes) -> object:
        # Every JSON the view reads goes through here: POST bodies, GET `variables`, and
        # WebSocket messages (where JsonTooDeep, a JSONDecodeError, closes with 4400).
        return decode_request_json(data, max_depth=self.max_json_depth)

    def parse_json(self, data: str | bytes) -> Any:
        known, decoded = decoded_before(data)
        if known:
            return decoded
        try:
            return self.decode_json(data)
        except JsonTooDeep as error:
            raise HTTPException(
                400, f"Request JSON is nested deeper than {error.max_depth} levels."
            ) from error
        except json.JSONDecodeError as error:
            raise HTTPException(400, "Unable to parse request body as JSON") from error
        except UnicodeDecodeError as error:
            raise HTTPException(400, "The request body is not valid UTF-8.") from error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope=scope, receive=limited(receive, self.max_body_bytes))
        # The id RequestContext (schema/request_context.py) chose, bound for logging.
        request_id = scope_request_id(request.scope)
        request.state.request_id = request_id
        media_type = response_media_type(request.headers.get("accept", ""))
        try:
            declared = int(request.headers.get("content-length") or 0)
        except ValueError:
            declared = 0
        try:
            if declared > self.max_body_bytes:
                raise BodyTooLarge()
            # A planned document is answered before Strawberry's request handling
            # (schema/early_answer.py); anything else, and that too when it declines, here.
            response = await early_answer(self, request) or await self.run(request)
        except Exception as error:
            response = refusal_response(error, request, request_id, media_type, self.max_body_bytes)
        else:
            finish_response(response, request, media_type, request_id)
        await response(scope, receive, send)

    def should_render_graphql_ide(self, request: Any) -> bool:
        # A GET with a persisted query's hash and no `query` is an operation, not the IDE.
        return "extensions" not in request.query_params and super().should_render_graphql_ide(
            request
        )

    async def parse_http_body(self, request: Any) -> GraphQLRequestData | list[GraphQLRequestData]:
        data = await super().parse_http_body(request)
        if self.persisted is not None:
            # Persisted operations (schema/persisted.py): the hash stands for the document.
            for each in data if isinstance(data, list) else [data]:
                each.query = self.persisted.resolve(each.query, each.extensions)
        return data

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        request_id = scope_request_id(request.scope)
        context = Context(request=request, response=response, request_id=request_id)
        if isinstance(request, Request):
            authorization = request.headers.get("authorization", "")
            scheme, _, token = authorization.partition(" ")
            if authorization and scheme.lower() == "bearer" and token.strip():
                try:
                    context.principal = await principal_from_token(token.strip())
                except InvalidToken as error:
                    context.token_error = str(error)
            elif authorization:
                context.token_error = "the Authorization header must be `Bearer <token>`"
        return context

    async def execute_operation(
        self,
        request: Request,
        request_adapter: Any,
        request_data: GraphQLRequestData | list[GraphQLRequestData],
        context: Context,
        root_value: None,
        sub_response: Response,
    ) -> Any:
        # An SSE stream takes a slot of its caller's limit and watches its token
        # (schema/sse.py); the slot is given back when the response ends.
        if isinstance(request_data, GraphQLRequestData) and request_data.protocol == "sse":
            try:
                handle = self.sse_streams.open(request, context)
            except StreamLimitReached as error:
                raise HTTPException(
                    429,
                    f"At most {self.sse_streams.limit} event streams may be open at once: "
                    "close one first.",
                ) from error
            request.state.sse_stream = handle
            try:
                return await super().execute_operation(
                    request, request_adapter, request_data, context, root_value, sub_response
                )
            except BaseException:
                handle.release()
                raise
        return await super().execute_operation(
            request, request_adapter, request_data, context, root_value, sub_response
        )

    async def execute_single(
        self,
        request: Request,
        request_adapter: Any,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        return await self.execute_request(
            request,
            request_adapter.method,
            request_data.query,
            request_data.variables,
            request_data.operation_name,
            request_data.extensions,
            context,
        )

    async def execute_request(
        self,
        request: Request,
        method: HTTPMethod,
        query: str | None,
        variables: dict[str, Any] | None,
        operation_name: str | None,
        extensions: dict[str, Any] | None,
        context: Context,
    ) -> ExecutionResult:
        """One operation of an HTTP request: by its plan, from the public-response cache,
        or executed (Strawberry's `execute_single` and the early answer both end here)."""
        return await execute_http_operation(
            self.schema,
            self.fast_path,
            self.public_cache,
            request,
            method,
            query,
            variables,
            operation_name,
            extensions,
            context,
        )

    async def create_streaming_response(
        self,
        request: Request | WebSocket,
        stream: Callable[[], AsyncIterator[str]],
        sub_response: Response,
        headers: Mapping[str, str],
    ) -> Response:
        handle: SseStream | None = getattr(request.state, "sse_stream", None)
        transport = self._get_stream_transport(SSETransport.protocol)
        if handle is None or not isinstance(transport, SSETransport):
            return await super().create_streaming_response(request, stream, sub_response, headers)
        request_id = getattr(request.state, "request_id", "")
        return SseResponse(
            guarded(stream, handle, transport, self.encode_json_string, request_id)(),
            status_code=200,
            headers={**sub_response.headers, **headers, "X-Request-ID": request_id},
            handle=handle,
        )

    async def on_ws_connect(self, context: Context) -> None:
        await authenticate_connection(context)

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        processed = await super().process_result(request, result)
        mark_result(request, result, processed)
        return processed
