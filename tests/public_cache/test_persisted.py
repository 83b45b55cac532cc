"""Persisted operations through the real ASGI app: Apollo's automatic persisted queries
over POST and GET, the committed list, and the setting that runs only its documents."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import httpx
import pytest

from schema.persisted import OPERATIONS_FILE, PersistedQueries, load_operations
from schema.persisted_list import rendered
from tests.ws import graphql_socket

QUERY = "{ gallery(first: 1) { pageInfo { hasNextPage } } }"
HASH = hashlib.sha256(QUERY.encode()).hexdigest()
EMPTY = {"data": {"gallery": {"pageInfo": {"hasNextPage": False}}}}


def _apq(digest: str = HASH) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": digest}}


def _error(response: httpx.Response) -> tuple[int, str, str]:
    error = response.json()["errors"][0]
    return response.status_code, error["message"], error["extensions"]["code"]


async def test_a_hash_alone_is_not_found_then_registered_with_its_document(
    client: httpx.AsyncClient,
) -> None:
    # when a client sends the hash alone, over POST and GET
    post = await client.post("/graphql", json={"extensions": _apq()})
    get = await client.get("/graphql", params={"extensions": json.dumps(_apq())})
    # then both are PersistedQueryNotFound, 200, not to be cached by the way
    for response in (post, get):
        assert _error(response) == (200, "PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND")
        assert response.headers["cache-control"] == "private, no-cache, must-revalidate"
    # and with application/graphql-response+json too (Apollo clients retry on it)
    strict = await client.post(
        "/graphql",
        json={"extensions": _apq()},
        headers={"Accept": "application/graphql-response+json"},
    )
    assert _error(strict)[0] == 200
    # when it sends the hash with the document
    registered = await client.post("/graphql", json={"query": QUERY, "extensions": _apq()})
    # then the document runs, and the hash alone works from then on, over POST and GET
    assert registered.json() == EMPTY
    again = await client.post("/graphql", json={"extensions": _apq()})
    by_get = await client.get("/graphql", params={"extensions": json.dumps(_apq())})
    assert again.json() == by_get.json() == EMPTY


async def test_a_hash_that_is_not_the_documents_is_refused_and_nothing_is_registered(
    client: httpx.AsyncClient,
) -> None:
    # when a client sends a document with another document's hash
    other = hashlib.sha256(b"{ viewer { id } }").hexdigest()
    wrong = await client.post("/graphql", json={"query": QUERY, "extensions": _apq(other)})
    # then it is refused and did not run
    assert _error(wrong) == (400, "provided sha does not match query", "BAD_REQUEST")
    assert "data" not in wrong.json()
    # and neither hash was registered
    for digest in (HASH, other):
        missing = await client.post("/graphql", json={"extensions": _apq(digest)})
        assert _error(missing)[2] == "PERSISTED_QUERY_NOT_FOUND"


@pytest.mark.parametrize(
    "extensions",
    [
        {"persistedQuery": {"version": 2, "sha256Hash": HASH}},
        {"persistedQuery": {"version": 1, "sha256Hash": "ABC"}},
        {"persistedQuery": {"version": 1}},
        {"persistedQuery": "yes"},
    ],
)
async def test_a_malformed_persisted_query_is_a_bad_request(
    client: httpx.AsyncClient, extensions: dict[str, Any]
) -> None:
    # when the extension is malformed
    response = await client.post("/graphql", json={"query": QUERY, "extensions": extensions})
    # then 400 BAD_REQUEST, nothing ran
    assert (response.status_code, _error(response)[2]) == (400, "BAD_REQUEST")
    assert "data" not in response.json()


async def test_with_persisted_queries_off_a_hash_is_not_supported(http_for: Any) -> None:
    # given persisted queries switched off
    client = await http_for(PERSISTED_QUERIES_ENABLED="false")
    # when a client sends a hash, alone or with its document
    alone = await client.post("/graphql", json={"extensions": _apq()})
    both = await client.post("/graphql", json={"query": QUERY, "extensions": _apq()})
    # then PersistedQueryNotSupported (the client stops hashing); plain documents run
    for response in (alone, both):
        assert _error(response) == (
            200,
            "PersistedQueryNotSupported",
            "PERSISTED_QUERY_NOT_SUPPORTED",
        )
    assert (await client.post("/graphql", json={"query": QUERY})).json() == EMPTY


async def test_only_listed_documents_run_when_persisted_operations_only(http_for: Any) -> None:
    # given the production setting and a document of the committed list
    client = await http_for(PERSISTED_OPERATIONS_ONLY="true")
    listed_hash, listed = next(
        (digest, document)
        for digest, document in load_operations().items()
        if document.startswith("query Feed(")
    )
    variables = {"first": 1}
    # when it is sent by hash alone, by hash with the document, and in full
    by_hash = await client.post(
        "/graphql", json={"extensions": _apq(listed_hash), "variables": variables}
    )
    by_both = await client.post(
        "/graphql", json={"query": listed, "extensions": _apq(listed_hash), "variables": variables}
    )
    in_full = await client.get(
        "/graphql", params={"query": listed, "variables": json.dumps(variables)}
    )
    # then each runs
    for response in (by_hash, by_both, in_full):
        assert response.status_code == 200 and "errors" not in response.json(), response.text
    # when another document is sent in full, registered with its hash, or by hash alone
    plain = await client.post("/graphql", json={"query": QUERY})
    register = await client.post("/graphql", json={"query": QUERY, "extensions": _apq()})
    alone = await client.post("/graphql", json={"extensions": _apq()})
    # then it never runs, and was not registered
    refused = (
        403,
        "Only persisted operations run here: this document is not in the list.",
        "PERSISTED_QUERY_NOT_IN_LIST",
    )
    assert _error(plain) == _error(register) == refused
    assert _error(alone)[2] == "PERSISTED_QUERY_NOT_FOUND"


def test_the_documents_cache_is_bounded() -> None:
    # given a cache of two documents
    persisted = PersistedQueries(enabled=True, cache_size=2, only_listed=False, listed={})
    documents = ["{ a }", "{ b }", "{ c }"]
    # when three are registered
    for document in documents:
        persisted.resolve(document, _apq(hashlib.sha256(document.encode()).hexdigest()))
    # then the first was forgotten, the last two are known
    assert len(persisted) == 2
    known = [hashlib.sha256(document.encode()).hexdigest() for document in documents[1:]]
    assert [persisted.resolve(None, _apq(digest)) for digest in known] == documents[1:]


def test_the_committed_list_is_up_to_date_and_each_hash_is_its_documents() -> None:
    # then the file is what bin/persisted-operations writes, and loads (hashes checked)
    assert OPERATIONS_FILE.read_bytes() == rendered()
    operations = load_operations()
    assert all(hashlib.sha256(d.encode()).hexdigest() == h for h, d in operations.items())
    assert len(operations) >= 20


async def test_a_websocket_subscribe_takes_a_persisted_query(client: httpx.AsyncClient) -> None:
    async with graphql_socket(client, None) as socket:
        # when an operation is subscribed by hash alone
        await socket.session.send_json(
            {"id": "1", "type": "subscribe", "payload": {"extensions": _apq()}}
        )
        not_found = await socket.receive()
        # then it is PersistedQueryNotFound
        assert not_found == {
            "id": "1",
            "type": "error",
            "payload": [
                {
                    "message": "PersistedQueryNotFound",
                    "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
                }
            ],
        }
        # when it is subscribed with its document and a wrong hash, then with the right one
        other = hashlib.sha256(b"{ x }").hexdigest()
        await socket.session.send_json(
            {"id": "2", "type": "subscribe", "payload": {"query": QUERY, "extensions": _apq(other)}}
        )
        mismatch = await socket.receive()
        await socket.session.send_json(
            {"id": "3", "type": "subscribe", "payload": {"query": QUERY, "extensions": _apq()}}
        )
        registered = [await socket.receive(), await socket.receive()]
        # and by hash alone again
        await socket.session.send_json(
            {"id": "4", "type": "subscribe", "payload": {"extensions": _apq()}}
        )
        again = [await socket.receive(), await socket.receive()]
    # then the wrong hash is refused; the right one runs, by hash from then on
    assert mismatch["payload"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert registered == [
        {"id": "3", "type": "next", "payload": EMPTY},
        {"id": "3", "type": "complete"},
    ]
    assert again == [{"id": "4", "type": "next", "payload": EMPTY}, {"id": "4", "type": "complete"}]
