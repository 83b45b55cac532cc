"""Renamed mutations: the contract's names work, and the old names stay as deprecated
aliases that still work (the old names are exercised by tests/worlds through the
factories; here, the deprecation itself and the new names end to end)."""

from __future__ import annotations

from typing import Any

from db.tables.gallery import GalleryChangeEvent
from db.tables.worlds import CustomWorldProfile
from tests.factories.auth import make_user
from tests.factories.worlds import bind_cover, talk
from tests.fixtures import GraphQLClient

RENAMED = {
    "customWorldAgentSessionCreate": "customWorldSessionStart",
    "customWorldAgentSessionAutosave": "customWorldSessionAutosave",
    "customWorldPublish": "customWorldWorkPublish",
    "customWorldUnpublish": "customWorldWorkUnpublish",
}
MUTATION_FIELDS = """
{ __type(name: "Mutation") { fields(includeDeprecated: true) {
  name isDeprecated deprecationReason } } }
"""
START = """
mutation { customWorldSessionStart(input: {seedText: "a drowned library"}) {
  errors { code } session { sessionId } work { workId publicationStatus } } }
"""
PUBLISH = """
mutation($p: ID!) { customWorldWorkPublish(profileId: $p) {
  errors { code } blockers { code } work { workId publicationStatus publicWorkCode } } }
"""
UPDATE = """
mutation($p: ID!) { customWorldWorkUpdate(profileId: $p) {
  errors { code field } blockers { code } work { workId } } }
"""
UNPUBLISH = """
mutation($p: ID!) { customWorldWorkUnpublish(profileId: $p) {
  errors { code } work { workId publicationStatus } } }
"""


async def test_old_names_are_deprecated_in_favour_of_the_contract_names(
    gql: GraphQLClient,
) -> None:
    # when a client introspects the mutations
    result = await gql.execute(MUTATION_FIELDS)
    fields = {f["name"]: f for f in result["data"]["__type"]["fields"]}
    # then every old name is deprecated, naming its replacement, which is not deprecated
    for old, new in RENAMED.items():
        assert (fields[old]["isDeprecated"], fields[old]["deprecationReason"]) == (
            True,
            f"Use `{new}`.",
        )
        assert fields[new]["isDeprecated"] is False
    assert fields["customWorldWorkUpdate"]["isDeprecated"] is False


async def test_a_world_lives_its_whole_life_through_the_contract_names(
    gql: GraphQLClient,
) -> None:
    # given a creator who starts a world under the new name
    user = await make_user()
    started = (await gql.execute(START, token=user.access_token))["data"]["customWorldSessionStart"]
    assert started["errors"] == []
    profile_id = started["work"]["workId"]
    assert started["work"]["publicationStatus"] == "DRAFT"
    # when an update comes before any publication
    refused: dict[str, Any] = (
        await gql.execute(UPDATE, {"p": profile_id}, token=user.access_token)
    )["data"]["customWorldWorkUpdate"]
    # then NOT_PUBLISHED, and nothing reached the gallery
    assert refused == {
        "errors": [{"code": "NOT_PUBLISHED", "field": "workId"}],
        "blockers": [],
        "work": None,
    }
    assert await GalleryChangeEvent.count() == 0
    # when the world is made ready and published, updated, unpublished by the new names
    await talk(gql, user.access_token, started["session"]["sessionId"], "Let's build it.")
    await bind_cover(gql, user.access_token, profile_id)
    published = (await gql.execute(PUBLISH, {"p": profile_id}, token=user.access_token))["data"][
        "customWorldWorkPublish"
    ]
    updated = (await gql.execute(UPDATE, {"p": profile_id}, token=user.access_token))["data"][
        "customWorldWorkUpdate"
    ]
    unpublished = (await gql.execute(UNPUBLISH, {"p": profile_id}, token=user.access_token))[
        "data"
    ]["customWorldWorkUnpublish"]
    # then each did its part, and the gallery saw three changes in order
    assert published["errors"] == [] and published["work"]["publicationStatus"] == "PUBLISHED"
    assert published["work"]["publicWorkCode"].startswith("CW")
    assert updated == {"errors": [], "blockers": [], "work": {"workId": profile_id}}
    assert unpublished["work"] == {"workId": profile_id, "publicationStatus": "DRAFT"}
    kinds = await GalleryChangeEvent.select(GalleryChangeEvent.event_kind).order_by(
        GalleryChangeEvent.event_id
    )
    assert [row["event_kind"] for row in kinds] == ["published", "updated", "unpublished"]
    stored = await CustomWorldProfile.select(CustomWorldProfile.publication_status).first()
    assert stored == {"publication_status": "draft"}
