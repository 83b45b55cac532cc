"""GraphQL over HTTP: malformed requests are 4xx GraphQL responses with codes, never 500s;
GraphQL request errors follow GraphQL-over-HTTP (200 to application/json, 400 to
application/graphql-response+json, never a `data` key)."""

from __future__ import annotations

import httpx
import pytest
from graphql import get_introspection_query

from db.tables.auth import UserAccount
from tests.fixtures import GraphQLClient

GRAPHQL_RESPONSE = "application/graphql-response+json"


def _code(response: httpx.Response) -> str:
    return str(response.json()["errors"][0]["extensions"]["code"])


async def test_typename_over_post_and_get(client: httpx.AsyncClient) -> None:
    posted = await client.post("/graphql", json={"query": "{ __typename }"})
    fetched = await client.get("/graphql", params={"query": "{ __typename }"})
    assert (posted.status_code, posted.json()) == (200, {"data": {"__typename": "Query"}})
    assert (fetched.status_code, fetched.json()) == (200, {"data": {"__typename": "Query"}})
    assert posted.headers["content-type"] == "application/json"


async def test_graphql_response_json_is_honoured(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"accept": GRAPHQL_RESPONSE}
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == GRAPHQL_RESPONSE


async def test_request_ids_are_echoed_or_made(client: httpx.AsyncClient) -> None:
    given = await client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"x-request-id": "abc-123"}
    )
    made = await client.post("/graphql", json={"query": "{ __typename }"})
    assert given.headers["x-request-id"] == "abc-123"
    assert len(made.headers["x-request-id"]) == 26


@pytest.mark.parametrize(
    ("kwargs", "status", "code"),
    [
        (
            {"content": b"{not json", "headers": {"content-type": "application/json"}},
            400,
            "BAD_REQUEST",
        ),
        ({"content": b"query", "headers": {"content-type": "text/plain"}}, 400, "BAD_REQUEST"),
        ({"json": {"query": 42}}, 400, "BAD_REQUEST"),
        ({"json": {"query": "{ __typename }", "variables": [1]}}, 400, "BAD_REQUEST"),
        ({"json": {}}, 400, "BAD_REQUEST"),
        ({"json": {"query": "{ __typename }", "operationName": {"a": 1}}}, 400, "BAD_REQUEST"),
    ],
)
async def test_malformed_requests_get_4xx_graphql_errors(
    client: httpx.AsyncClient, kwargs: dict[str, object], status: int, code: str
) -> None:
    response = await client.post("/graphql", **kwargs)  # type: ignore[arg-type]
    assert response.status_code == status
    assert _code(response) == code
    assert "Traceback" not in response.text


REQUEST_ERRORS = [
    ({"query": "{ __typename"}, "GRAPHQL_PARSE_FAILED"),
    ({"query": "{ noSuchField }"}, "GRAPHQL_VALIDATION_FAILED"),
    (
        {"query": "query A { __typename } query B { __typename }", "operationName": "C"},
        "BAD_REQUEST",
    ),
    ({"query": "query($n: Int!) { __typename }", "variables": {"n": "seven"}}, "BAD_USER_INPUT"),
    ({"query": "query($id: ID!) { __typename }", "variables": {"id": None}}, "BAD_USER_INPUT"),
]


@pytest.mark.parametrize(("body", "code"), REQUEST_ERRORS)
@pytest.mark.parametrize(
    ("accept", "status", "media_type"),
    [
        ("application/json", 200, "application/json"),
        (None, 200, "application/json"),
        ("*/*", 200, "application/json"),
        (GRAPHQL_RESPONSE, 400, GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE}, application/json;q=0.9", 400, GRAPHQL_RESPONSE),
        (f"application/json, {GRAPHQL_RESPONSE};q=0.5", 200, "application/json"),
    ],
)
async def test_graphql_request_errors_follow_graphql_over_http(
    client: httpx.AsyncClient,
    body: dict[str, object],
    code: str,
    accept: str | None,
    status: int,
    media_type: str,
) -> None:
    # given a request nothing of which executes (parse, validation, operation name, variables)
    headers = {"accept": accept} if accept else {}
    # when it is posted / then 200 to application/json (also no or any Accept), 400 to
    # application/graphql-response+json, and the body has errors with a code but no `data`
    response = await client.post("/graphql", json=body, headers=headers)
    assert (response.status_code, response.headers["content-type"]) == (status, media_type)
    assert "data" not in response.json()
    assert _code(response) == code
    assert response.headers["x-request-id"]


@pytest.mark.parametrize("accept", ["application/json", GRAPHQL_RESPONSE])
async def test_mutations_over_get_are_405_allow_post(
    client: httpx.AsyncClient, accept: str
) -> None:
    response = await client.get(
        "/graphql",
        params={"query": "mutation { authLogoutAll { endedSessionCount } }"},
        headers={"accept": accept},
    )
    assert (response.status_code, response.headers["allow"]) == (405, "POST")
    assert response.headers["content-type"] == accept
    assert response.json()["errors"][0]["message"] == "mutations are not allowed when using GET"
    assert _code(response) == "METHOD_NOT_ALLOWED"


async def test_a_query_over_get_may_name_it_among_mutations(client: httpx.AsyncClient) -> None:
    document = "query Q { __typename } mutation M { authLogoutAll { endedSessionCount } }"
    response = await client.get("/graphql", params={"query": document, "operationName": "Q"})
    assert (response.status_code, response.json()) == (200, {"data": {"__typename": "Query"}})


async def test_a_malformed_global_id_is_bad_user_input(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": '{ node(id: "x") { id } }'})
    assert response.status_code == 200
    assert response.json()["data"] == {"node": None}
    assert _code(response) == "BAD_USER_INPUT"


async def test_depth_limit(client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch) -> None:
    # given a depth limit of 3 / when a query 4 levels deep is sent / then QUERY_TOO_DEEP
    from asgi_lifespan import LifespanManager

    from app import create_app

    monkeypatch.setenv("MAX_QUERY_DEPTH", "3")
    from settings import get_settings

    get_settings.cache_clear()
    limited = create_app()
    async with LifespanManager(limited):
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=limited), base_url="http://t"
        ) as http:
            ok = await http.post("/graphql", json={"query": "{ viewer { wallet { balance } } }"})
            deep = await http.post(
                "/graphql",
                json={"query": "{ viewer { wallet { ledger { pageInfo { hasNextPage } } } } }"},
            )
    assert ok.status_code == 200
    assert (deep.status_code, _code(deep)) == (200, "QUERY_TOO_DEEP")


async def test_too_many_aliases(client: httpx.AsyncClient) -> None:
    query = "{ " + " ".join(f"a{n}: __typename" for n in range(31)) + " }"
    response = await client.post("/graphql", json={"query": query})
    assert (response.status_code, _code(response)) == (200, "TOO_MANY_ALIASES")
    allowed = "{ " + " ".join(f"a{n}: __typename" for n in range(30)) + " }"
    assert (await client.post("/graphql", json={"query": allowed})).status_code == 200


async def test_too_many_tokens(client: httpx.AsyncClient) -> None:
    query = "{ " + " ".join(["__typename"] * 5001) + " }"
    response = await client.post("/graphql", json={"query": query})
    assert (response.status_code, _code(response)) == (200, "TOO_MANY_TOKENS")


async def test_bodies_over_one_mebibyte_are_refused(client: httpx.AsyncClient) -> None:
    padding = "#" + "x" * (1024 * 1024)
    response = await client.post("/graphql", json={"query": "{ __typename }" + padding})
    assert (response.status_code, _code(response)) == (413, "REQUEST_TOO_LARGE")

    async def chunks() -> object:
        yield b'{"query": "{ __typename }", "pad": "'
        for _ in range(17):
            yield b"y" * 65536
        yield b'"}'

    streamed = await client.post(
        "/graphql",
        content=chunks(),
        headers={"content-type": "application/json"},  # type: ignore[arg-type]
    )
    assert (streamed.status_code, _code(streamed)) == (413, "REQUEST_TOO_LARGE")


async def test_graphiql_introspection_works_within_the_default_limits(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/graphql", json={"query": get_introspection_query(descriptions=True)}
    )
    assert response.status_code == 200
    assert "errors" not in response.json()
    assert response.json()["data"]["__schema"]["queryType"]["name"] == "Query"


async def test_graphiql_is_served_to_browsers(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


async def test_introspection_can_be_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    from asgi_lifespan import LifespanManager

    from app import create_app
    from settings import get_settings

    monkeypatch.setenv("INTROSPECTION_ENABLED", "false")
    get_settings.cache_clear()
    closed = create_app()
    async with LifespanManager(closed):
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=closed), base_url="http://t"
        ) as http:
            response = await http.post(
                "/graphql", json={"query": "{ __schema { queryType { name } } }"}
            )
            plain = await http.post("/graphql", json={"query": "{ __typename }"})
    assert response.status_code == 200
    assert _code(response) == "GRAPHQL_VALIDATION_FAILED"
    assert plain.status_code == 200


async def test_unexpected_errors_are_masked_and_carry_the_request_id(
    gql: GraphQLClient, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import resolvers.auth.password_signin as password_signin

    async def broken(**_: object) -> None:
        raise RuntimeError("secret SQL detail: SELECT password_hash FROM user_account")

    monkeypatch.setattr(password_signin, "login_with_password", broken)
    response = await client.post(
        "/graphql",
        json={
            "query": 'mutation { authLogin(input: {username: "a", password: "b"}) { errors { code } } }'
        },
        headers={"x-request-id": "req-42"},
    )
    error = response.json()["errors"][0]
    assert error["message"] == "Internal server error."
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-42"}
    assert "SELECT" not in response.text


async def test_health_and_readiness(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert (ready.status_code, ready.json()) == (200, {"status": "ok", "database": "reachable"})


async def test_readiness_fails_when_the_database_does(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def unreachable(*_: object, **__: object) -> None:
        raise ConnectionError("database down")

    monkeypatch.setattr(UserAccount, "raw", unreachable)
    ready = await client.get("/readyz")
    assert (ready.status_code, ready.json()) == (
        503,
        {"status": "unavailable", "database": "unreachable"},
    )
