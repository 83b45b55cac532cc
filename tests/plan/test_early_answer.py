"""Planned documents answered before Strawberry's request handling (schema/early_answer.py):
the same status, headers and bytes as the normal path, and everything else takes it."""

from __future__ import annotations

import hashlib
from typing import Any

import httpx
import pytest

import schema.view
from tests.factories.auth import make_user
from tests.factories.gallery import publish

PAGE = (
    "query Feed($first: Int) { gallery(first: $first) { edges { cursor node { id title "
    "plays7d viewerHasLiked author { id displayName } } } pageInfo { hasNextPage endCursor } } }"
)
# What the comparison keeps of a response: the status, the headers a client reads, the body.
HEADERS = ("content-type", "content-length", "x-request-id", "retry-after", "cache-control")


@pytest.fixture
def early(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each request of the fast app was answered early (True) or declined (the
    normal app, with no fast path, is not recorded)."""
    answered: list[bool] = []
    original = schema.view.early_answer

    async def spy(view: Any, request: Any) -> Any:
        response = await original(view, request)
        if view.fast_path is not None:
            answered.append(response is not None)
        return response

    monkeypatch.setattr(schema.view, "early_answer", spy)
    return answered


def _seen(response: httpx.Response) -> tuple[int, list[tuple[str, str]], bytes]:
    headers = [(name, value) for name, value in response.headers.items() if name in HEADERS]
    return response.status_code, headers, response.content


async def _both(
    client: httpx.AsyncClient, normal_client: httpx.AsyncClient, **request: Any
) -> tuple[Any, Any]:
    request.setdefault("method", "POST")
    fast = await client.request(url="/graphql", **request)
    normal = await normal_client.request(url="/graphql", **request)
    return _seen(fast), _seen(normal)


async def test_a_planned_document_is_answered_early_with_the_same_bytes_and_headers(
    client: httpx.AsyncClient, normal_client: httpx.AsyncClient, early: list[bool]
) -> None:
    # given works, a signed-in viewer, and the page's document planned on the fast app
    owner, viewer = await make_user(), await make_user()
    for _ in range(3):
        await publish(owner.user_id)
    body = {"query": PAGE, "variables": {"first": 2}, "operationName": "Feed"}
    await client.post("/graphql", json=body)
    early.clear()
    # when it is asked again with each Accept, anonymous and signed in, with a request id
    for accept in (None, "application/json", "application/graphql-response+json", "*/*"):
        for token in (None, viewer.access_token, "not-a-token"):
            headers = {"X-Request-ID": "early-answer-test-1"}
            if accept is not None:
                headers["Accept"] = accept
            if token is not None:
                headers["Authorization"] = f"Bearer {token}"
            fast, normal = await _both(client, normal_client, json=body, headers=headers)
            # then the fast app answered early, and its status, headers and bytes are the
            # normal path's
            assert fast == normal
            assert fast[0] == 200
    assert early == [True] * 12


async def test_a_persisted_hash_of_a_planned_document_is_answered_early(
    client: httpx.AsyncClient, normal_client: httpx.AsyncClient, early: list[bool]
) -> None:
    # given a document sent with its hash to both apps (remembered, and planned on the fast)
    await publish((await make_user()).user_id)
    digest = hashlib.sha256(PAGE.encode()).hexdigest()
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    for http in (client, normal_client):
        await http.post("/graphql", json={"query": PAGE, "extensions": extensions})
        await http.post("/graphql", json={"query": PAGE, "extensions": extensions})
    early.clear()
    # when the hash alone is sent
    fast, normal = await _both(
        client,
        normal_client,
        json={"extensions": extensions, "variables": {"first": 1}},
        headers={"X-Request-ID": "early-answer-test-3"},
    )
    # then the fast app answered early, the same as the normal path
    assert fast == normal
    assert b'"edges"' in fast[2]
    assert early == [True]


async def test_anything_else_takes_the_normal_path(
    client: httpx.AsyncClient, normal_client: httpx.AsyncClient, early: list[bool]
) -> None:
    # given the page's document planned on the fast app
    await publish((await make_user()).user_id)
    body = {"query": PAGE, "variables": {"first": 2}}
    await client.post("/graphql", json=body)
    early.clear()
    unknown = {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}
    cases: list[dict[str, Any]] = [
        # not planned: another document, a mutation, a syntax error
        {"json": {"query": "{ __typename gallery(first: 1) { nodes { id } } viewer { id } }"}},
        {"json": {"query": "mutation { signOut { ok } }"}},
        {"json": {"query": "{ gallery("}},
        # not one well-formed operation
        {"json": [body]},
        {"json": {**body, "variables": [1]}},
        {"json": {**body, "operationName": 3}},
        {"content": b"{not json", "headers": {"Content-Type": "application/json"}},
        {"content": b"query=1", "headers": {"Content-Type": "text/plain"}},
        # a stream is asked for, a GET, a refused persisted operation
        {"json": body, "headers": {"Accept": "text/event-stream"}},
        {"method": "GET", "params": {"query": PAGE, "variables": '{"first": 2}'}},
        {"json": {**body, "extensions": unknown}},
        {"json": {"extensions": unknown}},
        # a planned document whose variables are invalid (the plan declines; the executor
        # reports them)
        {"json": {**body, "variables": {"first": "two"}}},
    ]
    # when each is sent to both apps
    for case in cases:
        case.setdefault("headers", {})["X-Request-ID"] = "early-answer-test-2"
        fast, normal = await _both(client, normal_client, **case)
        # then each answer is the normal path's
        assert fast == normal, case
    # and only the planned document with invalid variables was answered early (by the
    # executor's result, as the plan declined: the same bytes, as checked above)
    assert early == [False] * (len(cases) - 1) + [True]


async def test_a_declined_body_is_decoded_once(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, early: list[bool]
) -> None:
    # given a counter of the view's JSON decoding
    decoded: list[object] = []
    original = schema.view.GraphQLView.decode_json

    def counting(view: schema.view.GraphQLView, data: str | bytes) -> object:
        decoded.append(data)
        return original(view, data)

    monkeypatch.setattr(schema.view.GraphQLView, "decode_json", counting)
    # when an unplanned document is sent: the early answer reads it, then declines
    response = await client.post("/graphql", json={"query": "{ __typename }"})
    # then the normal path answered with the JSON the early answer decoded, not a second
    # decoding of the same bytes
    assert response.json() == {"data": {"__typename": "Query"}}
    assert early == [False]
    assert len(decoded) == 1
