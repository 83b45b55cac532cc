"""The Work registry and node ids of works."""

from __future__ import annotations

import pytest
import strawberry

from resolvers.gallery.play_types import PlayType
from schema.gallery.work import Work, register_work_type, work_type_for
from tests.factories.auth import make_user
from tests.factories.gallery import TEST_PLAY_TYPE, gallery_work_type, publish, unpublish
from tests.fixtures import GraphQLClient


@strawberry.type(description="Another test work type.")
class OtherTestWork(Work):
    pass


def test_a_play_type_keeps_its_first_registered_type() -> None:
    registered = gallery_work_type()
    assert work_type_for(TEST_PLAY_TYPE) is registered
    register_work_type(TEST_PLAY_TYPE, registered)  # again: a no-op
    with pytest.raises(ValueError):
        register_work_type(TEST_PLAY_TYPE, OtherTestWork)
    with pytest.raises(TypeError):
        register_work_type(PlayType.BIG_FISH, Work)
    assert work_type_for(TEST_PLAY_TYPE) is registered


async def test_node_finds_a_published_work_and_not_an_unpublished_one(gql: GraphQLClient) -> None:
    # given a published work's global id
    owner = await make_user()
    work_id, _ = await publish(owner.user_id, title="Findable")
    feed = await gql.execute("{ gallery { edges { node { id } } } }")
    global_id = feed["data"]["gallery"]["edges"][0]["node"]["id"]
    query = "query($id: ID!) { node(id: $id) { id ... on Work { workId title } } }"
    # when it is looked up, then after it is unpublished
    found = await gql.execute(query, {"id": global_id})
    await unpublish(work_id)
    gone = await gql.execute(query, {"id": global_id})
    # then
    assert found["data"]["node"] == {"id": global_id, "workId": work_id, "title": "Findable"}
    assert gone["data"] is None or gone["data"]["node"] is None
