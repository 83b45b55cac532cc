"""The per-request (HTTP) or per-connection (WebSocket) context."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.types import Info as StrawberryInfo

from resolvers.principal import ANONYMOUS, Principal
from subscriptions.revocations import Watch


@dataclass
class Context:
    request: Request | WebSocket
    response: Response | WebSocket | None
    request_id: str
    principal: Principal = ANONYMOUS
    # Why a presented token was refused (HTTP): private fields explain it to the client.
    token_error: str | None = None
    connection_params: dict[str, Any] | None = None
    # WebSocket only: the revocation watch and the task that closes the socket with 4401.
    watch: Watch | None = None
    guard: asyncio.Task[None] | None = field(default=None, repr=False)


Info = StrawberryInfo[Context, None]
