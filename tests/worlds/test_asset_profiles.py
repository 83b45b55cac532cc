"""Assets bound to a custom world's entities record the world's profile (docs/domain.md,
"Assets")."""

from __future__ import annotations

from strawberry import relay

from db.tables.assets import AssetEntityBinding, AssetObject
from tests.factories.assets import png_bytes, upload
from tests.factories.auth import make_user
from tests.factories.worlds import bind, ready_world, session
from tests.fixtures import GraphQLClient


async def test_binding_to_a_world_card_records_the_cards_world_as_profile(
    gql: GraphQLClient,
) -> None:
    # given a world with a card (its cover already bound) and a portrait
    alice = await make_user()
    world = await ready_world(gql, alice.access_token)
    card = (await session(gql, alice.access_token, world["session_id"]))["cards"][0]
    portrait = await upload(gql, alice.access_token, png_bytes(8))
    portrait_id = relay.GlobalID.from_id(portrait["id"]).node_id
    # when the portrait is bound to the card
    bound = await bind(
        gql,
        alice.access_token,
        portrait_id,
        entity_kind="custom_world_card",
        entity_id=card["cardId"],
        slot="image",
    )
    # then binding and object record the world's profile and the card
    assert bound["errors"] == []
    bindings = await AssetEntityBinding.select(
        AssetEntityBinding.entity_kind, AssetEntityBinding.profile_id
    ).order_by(AssetEntityBinding.entity_kind)
    assert bindings == [
        {"entity_kind": "custom_world", "profile_id": world["profile_id"]},
        {"entity_kind": "custom_world_card", "profile_id": world["profile_id"]},
    ]
    stored = await AssetObject.select(AssetObject.profile_id, AssetObject.entity_id).where(
        AssetObject.asset_object_id == portrait_id
    )
    assert stored == [{"profile_id": world["profile_id"], "entity_id": card["cardId"]}]
