"""Every private custom-world field and write refuses anonymous callers and service
workers; another user's session, card or world is NOT_FOUND; a refused write leaves no row
and changes nothing; asset slots of worlds follow the entity policies."""

from __future__ import annotations

from typing import Any

from db.apps import all_tables
from db.tables.assets import AssetEntityBinding
from db.tables.worlds import CustomWorldSession
from tests.factories.assets import png_bytes, upload
from tests.factories.auth import make_user
from tests.factories.economy import service_token
from tests.factories.worlds import bind, create_session, publish, ready_world, session, talk
from tests.fixtures import GraphQLClient

S = "01J00000000000000000000000"  # any id: refusals come before lookups
PRIVATE_FIELDS = [
    "{ viewer { customWorlds { nodes { workId } } } }",
    "{ viewer { customWorldAgentSessions { nodes { sessionId } } } }",
    "{ viewer { customWorldSessions { nodes { sessionId } } } }",
    f'{{ customWorldAgentSession(sessionId: "{S}") {{ sessionId }} }}',
    f'{{ customWorldDraftCard(cardId: "{S}") {{ cardId }} }}',
    f'{{ customWorld(profileId: "{S}") {{ workId }} }}',
    f'{{ customWorldSession(sessionId: "{S}") {{ sessionId }} }}',
]
PRIVATE_WRITES = [
    'mutation { customWorldAgentSessionCreate(input: {seedText: "s"}) { errors { code } } }',
    f'mutation {{ customWorldAgentSessionAutosave(input: {{sessionId: "{S}", worldName: "n"}}) '
    "{ errors { code } } }",
    f'mutation {{ draftCardUpdate(input: {{cardId: "{S}", title: "t"}}) {{ errors {{ code }} }} }}',
    f'mutation {{ customWorldPublish(profileId: "{S}") {{ errors {{ code }} }} }}',
    f'mutation {{ customWorldUnpublish(profileId: "{S}") {{ errors {{ code }} }} }}',
    f'mutation {{ customWorldDelete(profileId: "{S}") {{ errors {{ code }} }} }}',
    'mutation { customWorldSessionCreate(input: {settingText: "s"}) { errors { code } } }',
    f'mutation {{ customWorldSessionAnswer(input: {{sessionId: "{S}", answers: '
    '[{questionId: "name", answer: "a"}]}) { errors { code } } }',
    f'mutation {{ customWorldSessionGenerate(sessionId: "{S}") {{ errors {{ code }} }} }}',
]


async def _worlds_rows() -> dict[str, list[dict[str, Any]]]:
    return {
        table._meta.tablename: await table.select()
        for table in all_tables()
        if table._meta.tablename.startswith("custom_world")
    }


async def test_anonymous_callers_and_service_workers_are_refused(gql: GraphQLClient) -> None:
    service = await service_token()
    for operation in PRIVATE_FIELDS + PRIVATE_WRITES:
        anonymous = await gql.execute(operation)
        assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", operation
        refused = await gql.execute(operation, token=service)
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN", operation
    assert all(rows == [] for rows in (await _worlds_rows()).values())


async def test_another_users_things_are_not_found_and_stay_unchanged(gql: GraphQLClient) -> None:
    # given Alice's drafted world, a card of it and a Q&A session
    alice = await make_user()
    bob = await make_user()
    created = await create_session(gql, alice.access_token, "Alice's world")
    session_id = created["session"]["sessionId"]
    profile_id = created["session"]["profileId"]
    drafted = await talk(gql, alice.access_token, session_id, "Go.")
    card_id = drafted["cards"][0]["cardId"]
    legacy = await gql.execute(
        'mutation { customWorldSessionCreate(input: {settingText: "Hers"}) '
        "{ session { sessionId } } }",
        token=alice.access_token,
    )
    legacy_id = legacy["data"]["customWorldSessionCreate"]["session"]["sessionId"]
    before = await _worlds_rows()
    # when Bob reads or writes any of it
    operations = [
        f'{{ customWorldAgentSession(sessionId: "{session_id}") {{ sessionId }} }}',
        f'{{ customWorldDraftCard(cardId: "{card_id}") {{ cardId }} }}',
        f'{{ customWorld(profileId: "{profile_id}") {{ workId }} }}',
        f'{{ customWorldSession(sessionId: "{legacy_id}") {{ sessionId }} }}',
        f'mutation {{ customWorldAgentSessionAutosave(input: {{sessionId: "{session_id}", '
        'worldName: "Bob"}) { errors { code } } }',
        f'mutation {{ draftCardUpdate(input: {{cardId: "{card_id}", '
        'title: "Bob"}) { errors { code } } }',
        f'mutation {{ customWorldPublish(profileId: "{profile_id}") {{ errors {{ code }} }} }}',
        f'mutation {{ customWorldUnpublish(profileId: "{profile_id}") {{ errors {{ code }} }} }}',
        f'mutation {{ customWorldDelete(profileId: "{profile_id}") {{ errors {{ code }} }} }}',
        f'mutation {{ customWorldSessionAnswer(input: {{sessionId: "{legacy_id}", '
        'answers: [{questionId: "name", answer: "Bob"}]}) { errors { code } } }',
        f'mutation {{ customWorldSessionGenerate(sessionId: "{legacy_id}") '
        "{ errors { code } } }",
        "mutation { creationMessageSend(input: {playType: CUSTOM_WORLD, "
        f'sessionId: "{session_id}", text: "hi"}}) {{ errors {{ code }} }} }}',
    ]
    for operation in operations:
        result = await gql.execute(operation, token=bob.access_token)
        # then it is NOT_FOUND, as if it did not exist
        assert result["errors"][0]["extensions"]["code"] == "NOT_FOUND", operation
    # and nothing of Alice's changed, and Bob's lists are empty
    assert await _worlds_rows() == before
    mine = await gql.execute(
        "{ viewer { customWorlds { nodes { workId } } customWorldAgentSessions { nodes "
        "{ sessionId } } customWorldSessions { nodes { sessionId } } } }",
        token=bob.access_token,
    )
    assert mine["data"]["viewer"] == {
        "customWorlds": {"nodes": []},
        "customWorldAgentSessions": {"nodes": []},
        "customWorldSessions": {"nodes": []},
    }
    # and a draft is invisible through `node` to anyone but its author
    node = "query($id: ID!) { node(id: $id) { ... on CustomWorldWork { workId } } }"
    global_id = created["work"]["id"]
    assert (await gql.execute(node, {"id": global_id}, token=bob.access_token))["data"] == {
        "node": None
    }
    assert (await gql.execute(node, {"id": global_id}))["data"] == {"node": None}
    own = await gql.execute(node, {"id": global_id}, token=alice.access_token)
    assert own["data"]["node"] == {"workId": profile_id}


BINDINGS = """
query($k: String!, $e: String!) { assetBindings(entityKind: $k, entityId: $e) { slot } }
"""


async def test_asset_slots_of_worlds_follow_their_owner_and_publication(
    gql: GraphQLClient,
) -> None:
    alice = await make_user()
    bob = await make_user()
    world = await ready_world(gql, alice.access_token)
    profile_id = world["profile_id"]
    card = (await session(gql, alice.access_token, world["session_id"]))["cards"][0]
    # when Bob binds his own image to Alice's cover and card slots
    from strawberry import relay

    bobs = await upload(gql, bob.access_token, png_bytes(7))
    bobs_id = relay.GlobalID.from_id(bobs["id"]).node_id
    before = await AssetEntityBinding.count()
    for kind, entity, slot in (
        ("custom_world", profile_id, "cover"),
        ("custom_world_card", card["cardId"], "image"),
    ):
        refused = await bind(
            gql, bob.access_token, bobs_id, entity_kind=kind, entity_id=entity, slot=slot
        )
        # then it is refused and nothing is bound
        assert [e["code"] for e in refused["errors"]] == ["ENTITY_NOT_ALLOWED"]
    assert await AssetEntityBinding.count() == before
    # and while the world is a draft, only Alice sees its slots
    variables = {"k": "custom_world", "e": profile_id}
    assert (await gql.execute(BINDINGS, variables, token=bob.access_token))["errors"][0][
        "extensions"
    ]["code"] == "NOT_FOUND"
    own = await gql.execute(BINDINGS, variables, token=alice.access_token)
    assert own["data"]["assetBindings"] == [{"slot": "cover"}]
    # when Alice binds a portrait to her card, the card's asset status says so
    portrait = await upload(gql, alice.access_token, png_bytes(8))
    bound = await bind(
        gql,
        alice.access_token,
        relay.GlobalID.from_id(portrait["id"]).node_id,
        entity_kind="custom_world_card",
        entity_id=card["cardId"],
        slot="image",
    )
    assert bound["errors"] == []
    cards = (await session(gql, alice.access_token, world["session_id"]))["cards"]
    assert next(c for c in cards if c["cardId"] == card["cardId"])["assetStatus"] == "BOUND"
    # once published, anyone sees the slots
    assert (await publish(gql, alice.access_token, profile_id))["errors"] == []
    public = await gql.execute(BINDINGS, variables)
    assert public["data"]["assetBindings"] == [{"slot": "cover"}]
    card_slots = await gql.execute(BINDINGS, {"k": "custom_world_card", "e": card["cardId"]})
    assert card_slots["data"]["assetBindings"] == [{"slot": "image"}]
    assert await CustomWorldSession.count() == 0
