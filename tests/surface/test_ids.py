"""Every argument that names an object takes its global id (or its raw id); a global id of
another type is BAD_USER_INPUT and changes nothing. `Viewer.id` is the viewer's `User` id."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from strawberry import relay
from strawberry.types.base import StrawberryObjectDefinition

from db.tables.assets import AssetEntityBinding
from db.tables.economy import ProfileRedeemCode
from db.tables.gallery import PublicWorkLike
from db.tables.profile import UserBrowseHistory
from db.tables.worlds import CustomWorldProfile
from db.transactions import write_transaction
from resolvers import clock
from resolvers.gallery.play_types import PlayType
from resolvers.gallery.publishing import publish_work
from schema.assets.entities import ENTITY_NODE_TYPES
from tests.factories import puzzle, worlds
from tests.factories.ai_tasks import make_task
from tests.factories.assets import BIND, png_bytes, upload
from tests.factories.auth import TestUser, make_user
from tests.factories.creation import fast_agent
from tests.factories.economy import make_admin
from tests.fixtures import GraphQLClient


@pytest.fixture(autouse=True)
def agent_and_storage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    yield from fast_agent(monkeypatch, tmp_path / "storage")


def gid(type_name: str, raw_id: str) -> str:
    return base64.b64encode(f"{type_name}:{raw_id}".encode()).decode()


def _code(result: dict[str, Any]) -> str:
    return str(result["errors"][0]["extensions"]["code"])


async def _viewer_id(gql: GraphQLClient, user: TestUser) -> str:
    result = await gql.execute("{ viewer { id } }", token=user.access_token)
    return str(result["data"]["viewer"]["id"])


async def test_viewer_id_is_the_users_global_id(gql: GraphQLClient) -> None:
    # given a user
    user = await make_user()
    # when they read their ids
    result = await gql.execute("{ viewer { id user { id } } }", token=user.access_token)
    # then Viewer.id is their User's global id, which node(id:) resolves to them
    viewer = result["data"]["viewer"]
    assert viewer == {"id": gid("User", user.user_id), "user": {"id": gid("User", user.user_id)}}
    found = await gql.execute(f'{{ node(id: "{viewer["id"]}") {{ ... on User {{ id }} }} }}')
    assert found["data"]["node"] == {"id": viewer["id"]}


async def test_an_object_confirmed_is_bound_by_its_global_id_to_the_viewer_id(
    gql: GraphQLClient,
) -> None:
    # given a confirmed object (the payload gives its global id) and the viewer's id
    user = await make_user()
    asset = await upload(gql, user.access_token, png_bytes(1))
    raw_asset_id = base64.b64decode(asset["id"]).decode().split(":", 1)[1]
    viewer_id = await _viewer_id(gql, user)
    # when it is bound with those ids, exactly as returned
    bound = await gql.execute(
        BIND,
        {
            "i": {
                "assetObjectId": asset["id"],
                "entityKind": "user",
                "entityId": viewer_id,
                "slot": "avatar",
            }
        },
        token=user.access_token,
    )
    # then the binding names the raw ids, and both reads take either id
    binding = bound["data"]["assetObjectBind"]
    assert binding["errors"] == []
    assert (binding["binding"]["assetObjectId"], binding["binding"]["entityId"]) == (
        raw_asset_id,
        user.user_id,
    )
    for object_id in (asset["id"], raw_asset_id):
        read = await gql.execute(
            "query($i: ID!) { assetObject(id: $i) { id } }",
            {"i": object_id},
            token=user.access_token,
        )
        assert read["data"]["assetObject"] == {"id": asset["id"]}
    for entity_id in (viewer_id, user.user_id):
        slots = await gql.execute(
            'query($e: String!) { assetBindings(entityKind: "user", entityId: $e) { slot } }',
            {"e": entity_id},
            token=user.access_token,
        )
        assert slots["data"]["assetBindings"] == [{"slot": "avatar"}]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("assetObjectId", "user"),  # a User id where an AssetObject is expected
        ("entityId", "asset"),  # an AssetObject id where a user is expected
    ],
)
async def test_an_id_of_another_type_is_refused_and_nothing_is_bound(
    gql: GraphQLClient, field: str, value: str
) -> None:
    # given a confirmed object
    user = await make_user()
    asset = await upload(gql, user.access_token, png_bytes(2))
    ids = {"user": await _viewer_id(gql, user), "asset": asset["id"]}
    given = {
        "assetObjectId": asset["id"],
        "entityKind": "user",
        "entityId": user.user_id,
        "slot": "avatar",
    }
    # when one of its ids names another type of object
    result = await gql.execute(BIND, {"i": {**given, field: ids[value]}}, token=user.access_token)
    # then BAD_USER_INPUT, and nothing was bound
    assert _code(result) == "BAD_USER_INPUT"
    assert result["data"] is None
    assert await AssetEntityBinding.count() == 0


async def test_entity_kinds_without_a_node_refuse_every_global_id(gql: GraphQLClient) -> None:
    # given a signed-in user
    user = await make_user()
    # when an entity of a kind with no node type is named by a global id
    result = await gql.execute(
        'query($e: String!) { assetBindings(entityKind: "puzzle_level", entityId: $e) { slot } }',
        {"e": gid("PuzzleWork", "w1")},
        token=user.access_token,
    )
    # then BAD_USER_INPUT
    assert _code(result) == "BAD_USER_INPUT"


def test_every_entity_node_type_is_a_node_type_of_a_known_entity_kind() -> None:
    from resolvers.assets.entities import policy_for
    from schema.build import build_schema
    from settings import get_settings

    schema = build_schema(get_settings())
    for kind, type_name in ENTITY_NODE_TYPES.items():
        definition = schema.get_type_by_name(type_name)
        assert policy_for(kind) is not None, kind
        assert isinstance(definition, StrawberryObjectDefinition), type_name
        assert not definition.is_interface and issubclass(definition.origin, relay.Node)


async def test_users_are_named_by_global_or_raw_ids(gql: GraphQLClient) -> None:
    # given an admin, two users, and the global id of the first
    admin = await make_admin()
    first, second = await make_user(), await make_user()
    # when a private code lists them by either id, and a visit names its owner by global id
    upserted = await gql.execute(
        "mutation($i: RedeemCodeUpsertInput!) { redeemCodeUpsert(input: $i) { "
        "errors { code } redeemCode { allowedUserIds } } }",
        {
            "i": {
                "code": "FRIENDS",
                "mode": "PRIVATE",
                "rewardPoints": 5,
                "maxUses": 1,
                "allowedUserIds": [gid("User", first.user_id), second.user_id],
            }
        },
        token=admin.access_token,
    )
    visited = await gql.execute(
        "mutation($i: BrowseHistoryRecordInput!) { browseHistoryRecord(input: $i) "
        "{ errors { code } } }",
        {"i": {"ownerUserId": gid("User", first.user_id), "profileId": "p1", "worldName": "W"}},
        token=second.access_token,
    )
    # then the raw ids are stored
    assert upserted["data"]["redeemCodeUpsert"] == {
        "errors": [],
        "redeemCode": {"allowedUserIds": [first.user_id, second.user_id]},
    }
    assert visited["data"]["browseHistoryRecord"] == {"errors": []}
    rows = await UserBrowseHistory.select(UserBrowseHistory.owner_user_id)
    assert rows == [{"owner_user_id": first.user_id}]


async def test_a_wrong_type_user_id_writes_no_code(gql: GraphQLClient) -> None:
    # given an admin
    admin = await make_admin()
    # when a private code lists an AI task's id as a user
    result = await gql.execute(
        "mutation($i: RedeemCodeUpsertInput!) { redeemCodeUpsert(input: $i) { errors { code } } }",
        {
            "i": {
                "code": "FRIENDS",
                "mode": "PRIVATE",
                "rewardPoints": 5,
                "maxUses": 1,
                "allowedUserIds": [gid("AiTask", "t1")],
            }
        },
        token=admin.access_token,
    )
    # then BAD_USER_INPUT, and no code was written
    assert _code(result) == "BAD_USER_INPUT"
    assert await ProfileRedeemCode.count() == 0


async def test_ai_tasks_are_named_by_global_or_raw_ids(gql: GraphQLClient) -> None:
    # given a task of the user
    user = await make_user()
    task = await make_task(user)
    query = "query($t: ID!) { aiTask(taskId: $t) { taskId } }"
    # when it is read by its global id, its raw id, and a User id
    by_global = await gql.execute(
        query, {"t": gid("AiTask", task.task_id)}, token=user.access_token
    )
    by_raw = await gql.execute(query, {"t": task.task_id}, token=user.access_token)
    wrong = await gql.execute(query, {"t": gid("User", task.task_id)}, token=user.access_token)
    # then the first two find it; the last is BAD_USER_INPUT
    assert by_global["data"] == by_raw["data"] == {"aiTask": {"taskId": task.task_id}}
    assert _code(wrong) == "BAD_USER_INPUT"


async def _published_puzzle(owner: TestUser, work_id: str) -> None:
    # Straight into the gallery's read model (tests.factories.gallery would add its test
    # work type to the schema of every later test, and schema.graphql with it).
    async with write_transaction():
        await publish_work(
            play_type=PlayType.PUZZLE,
            work_id=work_id,
            owner_user_id=owner.user_id,
            title="A puzzle",
            summary="Summary",
            cover_image_src=None,
            theme=None,
            tags=[],
            now=clock.now(),
        )


async def test_works_are_liked_by_their_global_id(gql: GraphQLClient) -> None:
    # given a published puzzle work and a fan
    owner, fan = await make_user(), await make_user()
    work_id = "w000001"
    await _published_puzzle(owner, work_id)
    like = "mutation($w: ID!) { workLike(playType: PUZZLE, workId: $w) { errors { code } liked } }"
    # when the fan likes it by a CustomWorldWork id, then by its PuzzleWork global id
    wrong = await gql.execute(like, {"w": gid("CustomWorldWork", work_id)}, token=fan.access_token)
    refused_likes = await PublicWorkLike.count()
    liked = await gql.execute(like, {"w": gid("PuzzleWork", work_id)}, token=fan.access_token)
    # then the first is BAD_USER_INPUT and wrote nothing; the second likes it
    assert _code(wrong) == "BAD_USER_INPUT"
    assert refused_likes == 0
    assert liked["data"]["workLike"] == {"errors": [], "liked": True}
    rows = await PublicWorkLike.select(PublicWorkLike.profile_id, PublicWorkLike.user_id)
    assert rows == [{"profile_id": work_id, "user_id": fan.user_id}]


async def test_puzzle_works_are_read_by_global_or_raw_ids(gql: GraphQLClient) -> None:
    # given a puzzle draft (its payload carries both ids)
    user = await make_user()
    started = await puzzle.start(gql, user.access_token)
    work = started["work"]
    # when it is read by each id, and by a User id
    by_global = await puzzle.work(gql, user.access_token, work["id"])
    by_raw = await puzzle.work(gql, user.access_token, work["workId"])
    wrong = await gql.execute(
        puzzle.WORK, {"w": await _viewer_id(gql, user)}, token=user.access_token
    )
    # then the same work, and BAD_USER_INPUT
    assert by_global["workId"] == by_raw["workId"] == work["workId"]
    assert _code(wrong) == "BAD_USER_INPUT"


async def test_worlds_are_named_by_global_or_raw_ids(gql: GraphQLClient) -> None:
    # given a world draft
    user = await make_user()
    created = await worlds.create_session(gql, user.access_token)
    work = created["work"]
    query = "query($p: ID!) { customWorld(profileId: $p) { workId } }"
    # when it is read by each id, and by a PuzzleWork id of the same raw id
    by_global = await gql.execute(query, {"p": work["id"]}, token=user.access_token)
    by_raw = await gql.execute(query, {"p": work["workId"]}, token=user.access_token)
    wrong = await gql.execute(
        query, {"p": gid("PuzzleWork", work["workId"])}, token=user.access_token
    )
    # then the same world, and BAD_USER_INPUT
    assert by_global["data"] == by_raw["data"] == {"customWorld": {"workId": work["workId"]}}
    assert _code(wrong) == "BAD_USER_INPUT"
    assert await CustomWorldProfile.count() == 1


async def test_puzzle_mutations_take_the_works_global_id(gql: GraphQLClient) -> None:
    # given a puzzle draft not ready to publish
    user = await make_user()
    work = (await puzzle.start(gql, user.access_token))["work"]
    # when it is published by its global id, its raw id, and a User id
    by_global = await gql.execute(puzzle.PUBLISH, {"w": work["id"]}, token=user.access_token)
    by_raw = await gql.execute(puzzle.PUBLISH, {"w": work["workId"]}, token=user.access_token)
    wrong = await gql.execute(
        puzzle.PUBLISH, {"w": gid("User", work["workId"])}, token=user.access_token
    )
    # then the first two get the same refusal about this work; the last is BAD_USER_INPUT
    assert by_global == by_raw
    assert by_global["data"]["puzzleWorkPublish"]["errors"] != []
    assert _code(wrong) == "BAD_USER_INPUT"


async def test_world_mutations_take_the_works_global_id(gql: GraphQLClient) -> None:
    # given a world draft
    user = await make_user()
    work = (await worlds.create_session(gql, user.access_token))["work"]
    # when it is deleted by a PuzzleWork id, then by its own global id
    wrong = await gql.execute(
        worlds.DELETE, {"p": gid("PuzzleWork", work["workId"])}, token=user.access_token
    )
    kept = await CustomWorldProfile.count().where(CustomWorldProfile.deleted_at.is_null())
    deleted = await gql.execute(worlds.DELETE, {"p": work["id"]}, token=user.access_token)
    # then the first is BAD_USER_INPUT and deleted nothing; the second deletes it
    assert _code(wrong) == "BAD_USER_INPUT"
    assert kept == 1
    assert deleted["data"]["customWorldDelete"] == {"errors": [], "deletedWorkId": work["workId"]}
    assert await CustomWorldProfile.count().where(CustomWorldProfile.deleted_at.is_null()) == 0
