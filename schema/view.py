"""The /graphql endpoint: GraphQL over HTTP (POST, GET) and WebSocket, on Starlette.

On top of Strawberry's view:
- request errors (unparseable JSON, JSON nested deeper than MAX_JSON_DEPTH, wrong content
  type, a body over the limit, parse and validation failures, bad variables, limits)
  answer with a 4xx status and a GraphQL error body carrying `extensions.code`, never a
  500 or plain text;
- `Accept: application/graphql-response+json` is honoured (GraphQL-over-HTTP);
- every response carries `X-Request-ID` (taken from the request when it sends one);
- bearer tokens are verified once per request; a refused token leaves the caller
  anonymous and private fields explain why.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import orjson
from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.schema import BaseSchema
from strawberry.types.execution import ExecutionResult

from resolvers.auth.authenticate import principal_from_token
from resolvers.auth.tokens import InvalidToken
from resolvers.ids import new_id
from schema.context import Context
from schema.guards import JsonTooDeep, decode_request_json
from schema.websocket import (
    LegacyWsHandler,
    TransportWsHandler,
    authenticate_connection,
)
from settings import Settings

logger = logging.getLogger("genarrative.http")

GRAPHQL_RESPONSE = "application/graphql-response+json"
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class BodyTooLarge(Exception):
    pass


def error_response(
    status: int,
    message: str,
    code: str,
    *,
    request_id: str,
    media_type: str = "application/json",
) -> Response:
    body = {"errors": [{"message": message, "extensions": {"code": code, "requestId": request_id}}]}
    return Response(
        orjson.dumps(body),
        status_code=status,
        media_type=media_type,
        headers={"X-Request-ID": request_id},
    )


HTTP_CODES = {
    400: "BAD_REQUEST",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "REQUEST_TOO_LARGE",
}


class GraphQLView(GraphQL[Context, None]):
    graphql_transport_ws_handler_class = TransportWsHandler
    graphql_ws_handler_class = LegacyWsHandler

    def __init__(self, schema: BaseSchema, settings: Settings) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if settings.graphiql_enabled else None,
            max_subscriptions_per_connection=settings.max_subscriptions_per_connection,
            allowed_origins=settings.ws_allowed_origins,
        )
        self.max_body_bytes = settings.max_body_bytes
        self.max_json_depth = settings.max_json_depth

    def encode_json(self, data: object) -> str:
        # Text, not bytes: the WebSocket protocols require text frames.
        return orjson.dumps(data).decode()

    def decode_json(self, data: str | bytes) -> object:
        # Every JSON the view reads goes through here: POST bodies, GET `variables`, and
        # WebSocket messages (where JsonTooDeep, a JSONDecodeError, closes with 4400).
        return decode_request_json(data, max_depth=self.max_json_depth)

    def parse_json(self, data: str | bytes) -> Any:
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
        request = Request(scope=scope, receive=self._limited(receive))
        request_id = _request_id(request)
        request.state.request_id = request_id
        media_type = (
            GRAPHQL_RESPONSE
            if GRAPHQL_RESPONSE in request.headers.get("accept", "")
            else "application/json"
        )
        try:
            declared = int(request.headers.get("content-length") or 0)
        except ValueError:
            declared = 0
        try:
            if declared > self.max_body_bytes:
                raise BodyTooLarge()
            response = await self.run(request)
        except BodyTooLarge:
            response = error_response(
                413,
                f"Request bodies are limited to {self.max_body_bytes} bytes.",
                "REQUEST_TOO_LARGE",
                request_id=request_id,
                media_type=media_type,
            )
        except HTTPException as error:
            response = error_response(
                error.status_code,
                error.reason,
                HTTP_CODES.get(error.status_code, "BAD_REQUEST"),
                request_id=request_id,
                media_type=media_type,
            )
        else:
            if getattr(request.state, "request_error", False):
                response.status_code = 400
            if response.media_type == "application/json" or response.headers.get(
                "content-type", ""
            ).startswith("application/json"):
                response.headers["content-type"] = media_type
            response.headers["X-Request-ID"] = request_id
        await response(scope, receive, send)

    def _limited(self, receive: Receive) -> Receive:
        received = 0
        limit = self.max_body_bytes

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge()
            return message

        return limited_receive

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        request_id = getattr(request.state, "request_id", None) or _request_id(request)
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

    async def on_ws_connect(self, context: Context) -> None:
        await authenticate_connection(context)

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        # A request error: nothing executed (no data), and no error belongs to a field.
        if result.data is None and result.errors and all(not e.path for e in result.errors):
            request.state.request_error = True
        return await super().process_result(request, result)


def _request_id(request: Request | WebSocket) -> str:
    given = request.headers.get("x-request-id", "")
    return given if REQUEST_ID.match(given) else new_id()
