"""Every request error is a GraphQL error: a database that cannot be reached answers 503
SERVICE_UNAVAILABLE (before execution, or when nothing succeeded) with the request id and
`Retry-After`; anything else that escapes is a 500 INTERNAL_SERVER_ERROR JSON body, never
`text/plain`. The failures are injected under the real ASGI app."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import asyncpg
import httpx
import pytest
from httpx_ws import WebSocketDisconnect, aconnect_ws
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from db.tables.auth import UserAccount
from schema.failures import ErrorBarrier
from tests.factories.auth import make_user
from tests.ws import URL

LOST = "connection was closed in the middle of operation"


@pytest.fixture
def database_lost(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every statement through the engine fails as after `pg_terminate_backend`."""
    engine_class = type(UserAccount._meta.db)

    async def run_querystring(self: Any, querystring: Any, *args: Any, **kwargs: Any) -> Any:
        raise asyncpg.ConnectionDoesNotExistError(LOST)

    monkeypatch.setattr(engine_class, "run_querystring", run_querystring)
    yield


def _error(response: httpx.Response) -> dict[str, Any]:
    errors = response.json()["errors"]
    assert len(errors) == 1, errors
    error: dict[str, Any] = errors[0]
    return error


async def test_a_database_lost_while_authenticating_is_a_503_graphql_error(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a signed-in user, and then a database that drops every connection
    user = await make_user()
    engine_class = type(UserAccount._meta.db)

    async def lost(self: Any, querystring: Any, *args: Any, **kwargs: Any) -> Any:
        raise asyncpg.ConnectionDoesNotExistError(LOST)

    monkeypatch.setattr(engine_class, "run_querystring", lost)
    # when the user's request is authenticated (the view's get_context)
    response = await client.post(
        "/graphql",
        json={"query": "{ viewer { username } }"},
        headers={"Authorization": f"Bearer {user.access_token}", "x-request-id": "req-503"},
    )
    # then it is a 503 GraphQL error with the request id, not a bare 500
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/json"
    assert response.headers["retry-after"] == "1"
    assert response.headers["x-request-id"] == "req-503"
    assert _error(response) == {
        "message": "The service cannot reach its database right now; try again shortly.",
        "extensions": {"code": "SERVICE_UNAVAILABLE", "requestId": "req-503"},
    }


async def test_graphql_response_json_gets_the_same_503(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = await make_user()
    engine_class = type(UserAccount._meta.db)

    async def refused(self: Any, querystring: Any, *args: Any, **kwargs: Any) -> Any:
        raise ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)")

    monkeypatch.setattr(engine_class, "run_querystring", refused)
    response = await client.post(
        "/graphql",
        json={"query": "{ viewer { username } }"},
        headers={
            "Authorization": f"Bearer {user.access_token}",
            "accept": "application/graphql-response+json",
        },
    )
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/graphql-response+json"
    assert _error(response)["extensions"] == {
        "code": "SERVICE_UNAVAILABLE",
        "requestId": response.headers["x-request-id"],
    }


async def test_a_field_that_loses_the_database_is_a_service_unavailable_field_error(
    client: httpx.AsyncClient, database_lost: None
) -> None:
    # when a nullable root field reads the database, and another field needs none
    response = await client.post(
        "/graphql", json={"query": '{ __typename user(publicUserCode: "123456789") { id } }'}
    )
    # then the result keeps its data (200, GraphQL-over-HTTP) and the field's error says why
    assert response.status_code == 200
    assert response.headers["retry-after"] == "1"
    assert response.json()["data"] == {"__typename": "Query", "user": None}
    error = _error(response)
    assert error["path"] == ["user"]
    assert error["extensions"] == {
        "code": "SERVICE_UNAVAILABLE",
        "requestId": response.headers["x-request-id"],
    }


async def test_a_result_without_data_for_a_lost_database_is_a_503(
    client: httpx.AsyncClient, database_lost: None
) -> None:
    # when the only root field is non-null and cannot reach the database
    response = await client.post(
        "/graphql",
        json={
            "query": 'mutation { authLogin(input: {username: "mei", password: "x"}) { errors { code } } }'
        },
    )
    # then nothing succeeded: 503, the error carries the code
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert response.json()["data"] is None
    assert _error(response)["extensions"]["code"] == "SERVICE_UNAVAILABLE"


async def test_an_unexpected_error_outside_execution_is_a_500_graphql_error(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given authentication that fails with a bug, not an outage
    async def broken(token: str) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr("schema.view.principal_from_token", broken)
    response = await client.post(
        "/graphql",
        json={"query": "{ viewer { username } }"},
        headers={"Authorization": "Bearer whatever", "x-request-id": "req-500"},
    )
    # then it is a masked JSON error with the request id
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-request-id"] == "req-500"
    assert _error(response) == {
        "message": "Internal server error.",
        "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-500"},
    }


async def test_the_barrier_turns_any_route_failure_into_json() -> None:
    # given routes outside /graphql that raise
    async def lost(request: Request) -> Response:
        raise asyncpg.ConnectionDoesNotExistError(LOST)

    async def broken(request: Request) -> Response:
        raise RuntimeError("a bug")

    application = Starlette(
        routes=[Route("/lost", lost), Route("/broken", broken)],
        middleware=[Middleware(ErrorBarrier)],  # as app.py installs it
    )
    transport = httpx.ASGITransport(app=application, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        unavailable = await http.get("/lost", headers={"x-request-id": "r1"})
        failed = await http.get("/broken", headers={"x-request-id": "r2"})
    # then both are GraphQL-shaped JSON errors with the request id
    assert (unavailable.status_code, failed.status_code) == (503, 500)
    assert unavailable.headers["retry-after"] == "1"
    assert _error(unavailable)["extensions"] == {"code": "SERVICE_UNAVAILABLE", "requestId": "r1"}
    assert _error(failed)["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "r2"}
    assert failed.headers["x-request-id"] == "r2"


async def test_terminated_connections_give_no_bare_500s(
    client: httpx.AsyncClient, engine_name: str
) -> None:
    if engine_name != "postgres":
        pytest.skip("pg_terminate_backend is PostgreSQL's")
    from settings import get_settings

    # given a signed-in user whose requests have warmed the pool
    user = await make_user()
    headers = {"Authorization": f"Bearer {user.access_token}"}
    query = {"query": "{ viewer { username } }"}
    for _ in range(5):
        assert (await client.post("/graphql", json=query, headers=headers)).status_code == 200
    # when every other connection to the database is terminated, three times over
    admin = await asyncpg.connect(get_settings().database_url)
    statuses: list[int] = []
    try:
        for _ in range(3):
            await admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            for _ in range(10):
                response = await client.post("/graphql", json=query, headers=headers)
                statuses.append(response.status_code)
                # then each request either succeeds or says SERVICE_UNAVAILABLE, in JSON
                assert response.headers["content-type"] == "application/json", response.text
                if response.status_code != 200 or "errors" in response.json():
                    assert _error(response)["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    finally:
        await admin.close()
    assert set(statuses) <= {200, 503}
    # and the pool recovers: the last request of each round succeeded
    assert statuses[9::10] == [200, 200, 200]


async def test_a_socket_whose_token_cannot_be_checked_closes_with_1013(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a signed-in user, and then a database that drops every connection
    user = await make_user()
    engine_class = type(UserAccount._meta.db)

    async def lost(self: Any, querystring: Any, *args: Any, **kwargs: Any) -> Any:
        raise asyncpg.ConnectionDoesNotExistError(LOST)

    monkeypatch.setattr(engine_class, "run_querystring", lost)
    # when the socket's connection_init carries the token
    async with aconnect_ws(URL, client, subprotocols=["graphql-transport-ws"]) as session:
        await session.send_json(
            {"type": "connection_init", "payload": {"authorization": f"Bearer {user.access_token}"}}
        )
        with pytest.raises(WebSocketDisconnect) as closed:
            await session.receive_json(timeout=5)
    # then it closes with "try again later", not 1011 with the driver's message
    assert (closed.value.code, closed.value.reason) == (
        1013,
        "Database unavailable: reconnect shortly.",
    )
