"""Asset events over WebSocket: mine, and an entity's, with cursors and authorization."""

from __future__ import annotations

import httpx

from db.tables.assets import AssetObject
from resolvers.assets.objects import entity_stream, user_stream
from subscriptions.channels import stream_channel
from tests.factories.assets import BIND, png_bytes, upload
from tests.factories.auth import make_user
from tests.fixtures import GraphQLClient
from tests.waiting import subscribed
from tests.ws import graphql_socket

MY_EVENTS = "subscription($after: Int) { assetEvents(after: $after) { sequence kind assetKind slot entityKind } }"
ENTITY_EVENTS = (
    "subscription($kind: String!, $id: String!, $after: Int) "
    "{ assetEntityEvents(entityKind: $kind, entityId: $id, after: $after) { sequence kind slot } }"
)


async def _bind_avatar(gql: GraphQLClient, token: str, user_id: str) -> None:
    object_id = (await AssetObject.select(AssetObject.asset_object_id).first())["asset_object_id"]  # type: ignore[index]
    result = await gql.execute(
        BIND,
        {
            "i": {
                "assetObjectId": object_id,
                "entityKind": "user",
                "entityId": user_id,
                "slot": "avatar",
            }
        },
        token=token,
    )
    assert result["data"]["assetObjectBind"]["errors"] == []


async def test_an_asset_subscriber_sees_confirmation_and_binding(
    client: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    # given a user subscribed to their asset events and to their own entity's events
    user = await make_user()
    async with graphql_socket(client, user.access_token) as socket:
        await socket.subscribe(MY_EVENTS)
        await socket.subscribe(ENTITY_EVENTS, {"kind": "user", "id": user.user_id})
        await subscribed(stream_channel(user_stream(user.user_id)))
        await subscribed(stream_channel(entity_stream("user", user.user_id)))
        # when they upload, confirm and bind
        await upload(gql, user.access_token, png_bytes())
        await _bind_avatar(gql, user.access_token, user.user_id)
        # then the events arrive, in order
        payloads = await socket.next_payloads(3)
    mine = [p["data"]["assetEvents"] for p in payloads if "assetEvents" in p["data"]]
    entity = [p["data"]["assetEntityEvents"] for p in payloads if "assetEntityEvents" in p["data"]]
    assert mine == [
        {
            "sequence": 1,
            "kind": "CONFIRMED",
            "assetKind": "cover",
            "slot": None,
            "entityKind": None,
        },
        {
            "sequence": 2,
            "kind": "BOUND",
            "assetKind": "cover",
            "slot": "avatar",
            "entityKind": "user",
        },
    ]
    assert entity == [{"sequence": 1, "kind": "BOUND", "slot": "avatar"}]


async def test_a_cursor_replays_exactly_the_rest(
    client: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    user = await make_user()
    await upload(gql, user.access_token, png_bytes())
    await _bind_avatar(gql, user.access_token, user.user_id)
    async with graphql_socket(client, user.access_token) as socket:
        await socket.subscribe(MY_EVENTS, {"after": 1})
        [payload] = await socket.next_payloads(1)
    assert payload["data"]["assetEvents"]["sequence"] == 2


async def test_another_users_entity_and_anonymous_callers_are_refused(
    client: httpx.AsyncClient,
) -> None:
    owner = await make_user()
    other = await make_user()
    async with graphql_socket(client, other.access_token) as socket:
        await socket.subscribe(ENTITY_EVENTS, {"kind": "user", "id": owner.user_id})
        [refused] = await socket.next_payloads(1)
    assert refused["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    async with graphql_socket(client, None) as socket:
        await socket.subscribe(MY_EVENTS)
        [anonymous] = await socket.next_payloads(1)
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
