"""WebSocket auth: the token in connection_init, 4401 when refused, expired or revoked."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from httpx_ws import AsyncWebSocketSession, WebSocketDisconnect, aconnect_ws

from tests.factories.auth import make_user
from tests.fixtures import GraphQLClient

URL = "http://testserver/graphql"
TRANSPORT_WS = "graphql-transport-ws"
LEGACY_WS = "graphql-ws"
VIEWER = "{ viewer { username } }"


async def _receive(ws: AsyncWebSocketSession, timeout: float = 5) -> dict[str, Any]:
    message: dict[str, Any] = await ws.receive_json(timeout=timeout)
    return message


async def _close_code(ws: AsyncWebSocketSession, timeout: float = 5) -> int:
    with pytest.raises(WebSocketDisconnect) as closed:
        async with asyncio.timeout(timeout):
            while True:
                await ws.receive_text()
    return closed.value.code


async def _init(ws: AsyncWebSocketSession, token: str | None) -> None:
    payload = {"authorization": f"Bearer {token}"} if token else {}
    await ws.send_json({"type": "connection_init", "payload": payload})


async def test_the_token_in_connection_init_is_honoured(client: httpx.AsyncClient) -> None:
    user = await make_user("wendy")
    async with aconnect_ws(URL, client, subprotocols=[TRANSPORT_WS]) as ws:
        await _init(ws, user.access_token)
        assert (await _receive(ws))["type"] == "connection_ack"
        await ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": VIEWER}})
        assert await _receive(ws) == {
            "id": "1",
            "type": "next",
            "payload": {"data": {"viewer": {"username": "wendy"}}},
        }
        assert (await _receive(ws))["type"] == "complete"


async def test_anonymous_sockets_are_accepted_but_private_fields_refuse_them(
    client: httpx.AsyncClient,
) -> None:
    async with aconnect_ws(URL, client, subprotocols=[TRANSPORT_WS]) as ws:
        await _init(ws, None)
        assert (await _receive(ws))["type"] == "connection_ack"
        await ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": VIEWER}})
        message = await _receive(ws)
        assert message["payload"]["data"] == {"viewer": None}
        assert message["payload"]["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_refused_token_closes_with_4401(client: httpx.AsyncClient) -> None:
    async with aconnect_ws(URL, client, subprotocols=[TRANSPORT_WS]) as ws:
        await _init(ws, "not-a-token")
        assert await _close_code(ws) == 4401


async def test_logout_all_closes_the_users_sockets_with_4401(
    client: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    # given two users with open sockets
    user = await make_user()
    bystander = await make_user()
    async with (
        aconnect_ws(URL, client, subprotocols=[TRANSPORT_WS]) as ws,
        aconnect_ws(URL, client, subprotocols=[TRANSPORT_WS]) as other,
    ):
        await _init(ws, user.access_token)
        await _init(other, bystander.access_token)
        assert (await _receive(ws))["type"] == "connection_ack"
        assert (await _receive(other))["type"] == "connection_ack"
        # when the user logs out everywhere over HTTP
        await gql.execute(
            "mutation { authLogoutAll { endedSessionCount } }", token=user.access_token
        )
        # then the user's socket closes with 4401 within a second, the other stays open
        assert await _close_code(ws, timeout=1) == 4401
        await other.send_json({"id": "2", "type": "subscribe", "payload": {"query": VIEWER}})
        assert (await _receive(other))["payload"]["data"]["viewer"] is not None


async def test_logging_out_a_session_closes_its_socket(
    client: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    user = await make_user()
    async with aconnect_ws(URL, client, subprotocols=[TRANSPORT_WS]) as ws:
        await _init(ws, user.access_token)
        assert (await _receive(ws))["type"] == "connection_ack"
        await gql.execute("mutation { authLogout { sessionId } }", token=user.access_token)
        assert await _close_code(ws, timeout=1) == 4401


async def test_an_expiring_token_closes_the_socket_with_4401(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given access tokens that live two seconds (`exp` is whole seconds, truncated: at
    # least one second of validity is left when the socket connects)
    from settings import get_settings

    monkeypatch.setenv("ACCESS_TOKEN_TTL_SECONDS", "2")
    get_settings.cache_clear()
    user = await make_user()
    async with aconnect_ws(URL, client, subprotocols=[TRANSPORT_WS]) as ws:
        await _init(ws, user.access_token)
        assert (await _receive(ws))["type"] == "connection_ack"
        # then the socket is closed with 4401 when the token expires
        assert await _close_code(ws, timeout=4) == 4401


async def test_the_legacy_protocol_has_the_same_auth(
    client: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    # a valid token is acknowledged and bound to its user: logging out closes with 4401
    user = await make_user("lee")
    async with aconnect_ws(URL, client, subprotocols=[LEGACY_WS]) as ws:
        await _init(ws, user.access_token)
        assert (await _receive(ws))["type"] == "connection_ack"
        await ws.send_json({"id": "1", "type": "start", "payload": {"query": VIEWER}})
        refused = await _receive(ws)
        assert refused["type"] == "error"
        assert refused["payload"]["extensions"]["code"] == "OPERATION_NOT_ALLOWED"
        await gql.execute(
            "mutation { authLogoutAll { endedSessionCount } }", token=user.access_token
        )
        assert await _close_code(ws, timeout=1) == 4401
    # a refused token gets connection_error and 4401
    async with aconnect_ws(URL, client, subprotocols=[LEGACY_WS]) as ws:
        await _init(ws, "forged")
        assert (await _receive(ws))["type"] == "connection_error"
        assert await _close_code(ws) == 4401


async def test_disallowed_browser_origins_are_refused(client: httpx.AsyncClient) -> None:
    with pytest.raises(Exception) as refused:
        async with aconnect_ws(
            URL, client, subprotocols=[TRANSPORT_WS], headers={"origin": "https://evil.example"}
        ):
            pass
    assert "403" in str(refused.value) or "1008" in str(refused.value)
