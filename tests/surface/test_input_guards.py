"""Bad input is refused at the edge: NUL in any string input, over-deep request JSON,
global ids of abstract types. Never a 500, a masked error or a database failure."""

from __future__ import annotations

import asyncio
import base64
from typing import Any

import httpx
import pytest
from httpx_ws import WebSocketDisconnect, aconnect_ws

from db.tables.analytics import TrackingEvent
from db.tables.auth import UserAccount
from db.tables.profile import UserBrowseHistory
from tests.factories.auth import make_user
from tests.factories.economy import make_admin
from tests.fixtures import GraphQLClient
from tests.ws import URL, graphql_socket

NUL_MESSAGE = "holds a NUL character (U+0000), which no string input may contain."
RECORD = """
mutation($i: BrowseHistoryRecordInput!) { browseHistoryRecord(input: $i) { errors { code } } }
"""
TAGS = """
mutation($c: String!, $t: [String!]!) { adminUserTagsUpdate(publicUserCode: $c, userTags: $t) {
    errors { code }
} }
"""


def _global(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _error(body: dict[str, Any]) -> tuple[str, str]:
    error = body["errors"][0]
    return error["extensions"]["code"], error["message"]


def _visit(world_name: str) -> dict[str, Any]:
    return {"ownerUserId": "owner1", "profileId": "p1", "worldName": world_name}


@pytest.mark.parametrize(
    ("query", "variables", "message"),
    [
        # an argument literal (a field of an input object), escaped
        (
            'mutation { browseHistoryRecord(input: {ownerUserId: "o", profileId: "p", '
            'worldName: "a\\u0000b"}) { errors { code } } }',
            {},
            f"A string literal {NUL_MESSAGE}",
        ),
        # the same with a variable-width escape, and with a raw NUL in a block string
        (
            'mutation { browseHistoryRecord(input: {ownerUserId: "o", profileId: "p", '
            'worldName: "\\u{0}"}) { errors { code } } }',
            {},
            f"A string literal {NUL_MESSAGE}",
        ),
        (
            'mutation { browseHistoryRecord(input: {ownerUserId: "o", profileId: "p", '
            'worldName: """a\x00b"""}) { errors { code } } }',
            {},
            f"A string literal {NUL_MESSAGE}",
        ),
        # a string variable inside an input-object literal
        (
            'mutation($n: String!) { browseHistoryRecord(input: {ownerUserId: "o", '
            'profileId: "p", worldName: $n}) { errors { code } } }',
            {"n": "a\x00"},
            f"Variable '$n' {NUL_MESSAGE}",
        ),
        # a field of an input object given as a variable
        (RECORD, {"i": _visit("\x00")}, f"Variable '$i' {NUL_MESSAGE}"),
        # a key of a JSON scalar inside an input object
        (
            "mutation($i: TrackingEventRecordInput!) { trackingEventRecord(input: $i) "
            "{ errors { code } } }",
            {"i": {"eventKey": "open", "scopeKind": "SITE", "metadata": {"k\x00": 1}}},
            f"Variable '$i' {NUL_MESSAGE}",
        ),
    ],
)
async def test_nul_in_any_string_input_is_refused_and_nothing_is_written(
    gql: GraphQLClient, query: str, variables: dict[str, Any], message: str
) -> None:
    # given a signed-in user (registering recorded events of its own)
    user = await make_user()
    events = await TrackingEvent.count()
    # when a write carries NUL in one of its strings
    body = await gql.execute(query, variables, token=user.access_token)
    # then it is refused before execution (a request error: no `data`), and no row was written
    assert "data" not in body
    assert _error(body) == ("BAD_USER_INPUT", message)
    assert await UserBrowseHistory.count() == 0
    assert await TrackingEvent.count() == events


async def test_nul_in_a_list_element_is_refused_and_nothing_is_written(
    gql: GraphQLClient,
) -> None:
    # given an admin and a user without tags
    admin = await make_admin()
    user = await make_user()
    code = await UserAccount.select(UserAccount.public_user_code).where(
        UserAccount.user_id == user.user_id
    )
    public_code = code[0]["public_user_code"]
    literal = (
        f'mutation {{ adminUserTagsUpdate(publicUserCode: "{public_code}", '
        'userTags: ["vip", "b\\u0000"]) { errors { code } } }'
    )
    # when the tags hold NUL in a list element, as a variable or as a literal
    as_variable = await gql.execute(
        TAGS, {"c": public_code, "t": ["vip", "b\x00"]}, token=admin.access_token
    )
    as_literal = await gql.execute(literal, token=admin.access_token)
    # then both are refused, and the user still has no tags
    assert _error(as_variable) == ("BAD_USER_INPUT", f"Variable '$t' {NUL_MESSAGE}")
    assert _error(as_literal) == ("BAD_USER_INPUT", f"A string literal {NUL_MESSAGE}")
    tags = await UserAccount.select(UserAccount.user_tags).where(
        UserAccount.user_id == user.user_id
    )
    assert tags[0]["user_tags"] in (None, [], "[]")


async def test_nul_over_http_get_is_refused(client: httpx.AsyncClient) -> None:
    # when a query with NUL in a literal or a variable comes over GET
    literal = await client.get("/graphql", params={"query": '{ node(id: "a\\u0000") { id } }'})
    variable = await client.get(
        "/graphql",
        params={
            "query": "query($i: ID!) { node(id: $i) { id } }",
            "variables": '{"i": "a\\u0000"}',
        },
    )
    # then both are BAD_USER_INPUT request errors (200 to application/json)
    assert literal.status_code == variable.status_code == 200
    assert _error(literal.json()) == ("BAD_USER_INPUT", f"A string literal {NUL_MESSAGE}")
    assert _error(variable.json()) == ("BAD_USER_INPUT", f"Variable '$i' {NUL_MESSAGE}")


async def test_nul_in_a_subscription_over_websocket_is_refused(
    client: httpx.AsyncClient,
) -> None:
    # given a signed-in socket
    user = await make_user()
    async with graphql_socket(client, user.access_token) as socket:
        # when subscriptions carry NUL in a variable and in a literal
        by_variable = await socket.subscribe(
            "subscription($t: ID!) { aiTaskEvents(taskId: $t) { sequence } }", {"t": "a\x00"}
        )
        first = await socket.receive()
        by_literal = await socket.subscribe(
            'subscription { aiTaskEvents(taskId: "a\\u0000") { sequence } }'
        )
        second = await socket.receive()
    # then each gets an error message with BAD_USER_INPUT
    assert (first["type"], first["id"]) == ("error", by_variable)
    assert (second["type"], second["id"]) == ("error", by_literal)
    assert _error({"errors": first["payload"]}) == (
        "BAD_USER_INPUT",
        f"Variable '$t' {NUL_MESSAGE}",
    )
    assert _error({"errors": second["payload"]}) == (
        "BAD_USER_INPUT",
        f"A string literal {NUL_MESSAGE}",
    )


async def test_a_global_id_hiding_nul_is_bad_user_input(client: httpx.AsyncClient) -> None:
    # when node(id:) gets a well-formed global id whose id holds NUL
    hidden = _global("User:a\x00b")
    response = await client.post("/graphql", json={"query": f'{{ node(id: "{hidden}") {{ id }} }}'})
    # then BAD_USER_INPUT, not a database error
    assert response.status_code == 200
    assert response.json()["data"] == {"node": None}
    assert _error(response.json()) == (
        "BAD_USER_INPUT",
        "A global id must not contain NUL characters.",
    )


@pytest.mark.parametrize("type_name", ["Node", "Work", "NoSuchType", "Query"])
async def test_global_ids_of_abstract_or_unknown_types_are_bad_user_input(
    client: httpx.AsyncClient, type_name: str
) -> None:
    # when node(id:) gets the id of an interface, an unknown type or a non-node type
    response = await client.post(
        "/graphql", json={"query": f'{{ node(id: "{_global(type_name + ":x")}") {{ id }} }}'}
    )
    # then BAD_USER_INPUT (never NotImplementedError masked as INTERNAL_SERVER_ERROR)
    assert response.status_code == 200
    assert response.json()["data"] == {"node": None}
    assert _error(response.json()) == ("BAD_USER_INPUT", f"No node type named {type_name!r}.")


async def test_deeply_nested_request_json_is_a_400(client: httpx.AsyncClient) -> None:
    # when the body is 100,000 nested arrays (well under the size limit)
    response = await client.post(
        "/graphql", content=b"[" * 100_000, headers={"content-type": "application/json"}
    )
    # then a 400 with a GraphQL error body, not a plain-text 500
    assert response.status_code == 400
    assert _error(response.json()) == (
        "BAD_REQUEST",
        "Request JSON is nested deeper than 64 levels.",
    )


async def test_the_nesting_limit_is_exactly_64_levels(client: httpx.AsyncClient) -> None:
    # given bodies nested 64 and 65 levels deep (the body object is level 1; brackets and
    # braces inside strings do not count)
    def body(depth: int) -> bytes:
        padding = "[" * (depth - 1) + "]" * (depth - 1)
        return f'{{"query": "{{ __typename }}", "pad": {padding}, "s": "[[[{{{{"}}'.encode()

    headers = {"content-type": "application/json"}
    # when both are posted
    allowed = await client.post("/graphql", content=body(64), headers=headers)
    refused = await client.post("/graphql", content=body(65), headers=headers)
    # then only the deeper one is refused
    assert (allowed.status_code, allowed.json()) == (200, {"data": {"__typename": "Query"}})
    assert (refused.status_code, _error(refused.json())[0]) == (400, "BAD_REQUEST")


async def test_deep_get_variables_and_invalid_utf8_are_400s(client: httpx.AsyncClient) -> None:
    # when GET variables nest too deep, or a POST body is not UTF-8
    deep = await client.get(
        "/graphql", params={"query": "{ __typename }", "variables": "[" * 10_000}
    )
    garbled = await client.post(
        "/graphql",
        content=b'{"query": "{ __typename \xff }"}',
        headers={"content-type": "application/json"},
    )
    # then both are 400 BAD_REQUEST
    assert (deep.status_code, _error(deep.json())[0]) == (400, "BAD_REQUEST")
    assert (garbled.status_code, _error(garbled.json())) == (
        400,
        ("BAD_REQUEST", "The request body is not valid UTF-8."),
    )


async def test_a_deeply_nested_websocket_message_closes_with_4400(
    client: httpx.AsyncClient,
) -> None:
    # given an acknowledged socket
    async with aconnect_ws(URL, client, subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send_json({"type": "connection_init", "payload": {}})
        assert (await ws.receive_json(timeout=5))["type"] == "connection_ack"
        # when a message nests 100,000 arrays
        await ws.send_text("[" * 100_000)
        # then the socket is closed as for any unparseable message
        with pytest.raises(WebSocketDisconnect) as closed:
            async with asyncio.timeout(5):
                while True:
                    await ws.receive_text()
    assert closed.value.code == 4400
