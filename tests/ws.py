"""A graphql-transport-ws client for tests, over the app's ASGI transport."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import AsyncIterator
from typing import Any

import httpx
from httpx_ws import AsyncWebSocketSession, aconnect_ws

URL = "http://testserver/graphql"


class GraphQLSocket:
    def __init__(self, session: AsyncWebSocketSession) -> None:
        self.session = session
        self._ids = itertools.count(1)

    async def receive(self, timeout: float = 5) -> dict[str, Any]:
        message: dict[str, Any] = await self.session.receive_json(timeout=timeout)
        return message

    async def subscribe(self, query: str, variables: dict[str, Any] | None = None) -> str:
        operation_id = str(next(self._ids))
        await self.session.send_json(
            {
                "id": operation_id,
                "type": "subscribe",
                "payload": {"query": query, "variables": variables or {}},
            }
        )
        return operation_id

    async def next_payloads(self, count: int, timeout: float = 5) -> list[dict[str, Any]]:
        """The payloads of the next `count` "next" messages (any operation)."""
        payloads: list[dict[str, Any]] = []
        async with asyncio.timeout(timeout):
            while len(payloads) < count:
                message = await self.receive(timeout=timeout)
                if message["type"] == "next":
                    payloads.append(message["payload"])
                elif message["type"] == "error":
                    payloads.append({"errors": message["payload"]})
        return payloads


@contextlib.asynccontextmanager
async def graphql_socket(
    client: httpx.AsyncClient, token: str | None, *, url: str = URL
) -> AsyncIterator[GraphQLSocket]:
    async with aconnect_ws(url, client, subprotocols=["graphql-transport-ws"]) as session:
        socket = GraphQLSocket(session)
        payload = {"authorization": f"Bearer {token}"} if token else {}
        await session.send_json({"type": "connection_init", "payload": payload})
        assert (await socket.receive())["type"] == "connection_ack"
        yield socket
