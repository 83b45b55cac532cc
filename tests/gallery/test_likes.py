"""Likes: one per (user, work), idempotent, race-free, signed-in only."""

from __future__ import annotations

import asyncio
from typing import Any

from db.tables.gallery import GalleryChangeEvent, PublicWorkLike
from resolvers.gallery.likes import like_work, unlike_work
from tests.factories.auth import make_user
from tests.factories.gallery import TEST_PLAY_TYPE, publish, read_model, unpublish
from tests.fixtures import GraphQLClient

LIKE = """
mutation($t: PlayType!, $w: ID!) { workLike(playType: $t, workId: $w) {
  errors { code field message } liked likeCount changed work { workId likeCount viewerHasLiked }
} }
"""
UNLIKE = """
mutation($t: PlayType!, $w: ID!) { workUnlike(playType: $t, workId: $w) {
  errors { code field message } liked likeCount changed work { workId likeCount viewerHasLiked }
} }
"""


def _vars(work_id: str) -> dict[str, Any]:
    return {"t": TEST_PLAY_TYPE.name, "w": work_id}


async def test_liking_twice_counts_once_and_unliking_twice_removes_once(
    gql: GraphQLClient,
) -> None:
    # given a published work and a fan
    owner = await make_user()
    fan = await make_user()
    work_id, _ = await publish(owner.user_id)
    # when the fan likes it twice
    first = (await gql.execute(LIKE, _vars(work_id), token=fan.access_token))["data"]["workLike"]
    second = (await gql.execute(LIKE, _vars(work_id), token=fan.access_token))["data"]["workLike"]
    # then one like, counted once
    liked_work = {"workId": work_id, "likeCount": 1, "viewerHasLiked": True}
    assert first == {
        "errors": [],
        "liked": True,
        "likeCount": 1,
        "changed": True,
        "work": liked_work,
    }
    assert second == {**first, "changed": False}
    like = await PublicWorkLike.select().first()
    assert like is not None
    assert (like["like_id"], like["source_type"], like["profile_id"]) == (
        f"{TEST_PLAY_TYPE.value}:{work_id}:{fan.user_id}",
        TEST_PLAY_TYPE.value,
        work_id,
    )
    assert (like["owner_user_id"], like["user_id"]) == (owner.user_id, fan.user_id)
    # when the fan unlikes it twice
    third = (await gql.execute(UNLIKE, _vars(work_id), token=fan.access_token))["data"]
    fourth = (await gql.execute(UNLIKE, _vars(work_id), token=fan.access_token))["data"]
    # then the like is gone, removed once
    unliked_work = {"workId": work_id, "likeCount": 0, "viewerHasLiked": False}
    assert third["workUnlike"] == {
        "errors": [],
        "liked": False,
        "likeCount": 0,
        "changed": True,
        "work": unliked_work,
    }
    assert fourth["workUnlike"]["changed"] is False
    assert await PublicWorkLike.count() == 0
    row = await read_model(work_id)
    assert row is not None and row["like_count"] == 0
    # and only real changes were events (published, +1, -1)
    kinds = [row["event_kind"] for row in await GalleryChangeEvent.select()]
    assert sorted(kinds) == ["like_count_changed", "like_count_changed", "published"]


async def test_an_unknown_or_unpublished_work_cannot_be_liked(gql: GraphQLClient) -> None:
    # given an unpublished work and a fan
    owner = await make_user()
    fan = await make_user()
    work_id, _ = await publish(owner.user_id)
    await unpublish(work_id)
    events_before = await GalleryChangeEvent.count()
    for work in (work_id, "never-published"):
        # when the fan likes or unlikes it
        like = await gql.execute(LIKE, _vars(work), token=fan.access_token)
        unlike = await gql.execute(UNLIKE, _vars(work), token=fan.access_token)
        # then WORK_NOT_FOUND, and nothing was written
        expected = {
            "errors": [
                {
                    "code": "WORK_NOT_FOUND",
                    "field": "workId",
                    "message": "No published work with this id.",
                }
            ],
            "liked": None,
            "likeCount": None,
            "changed": None,
            "work": None,
        }
        assert like["data"]["workLike"] == expected
        assert unlike["data"]["workUnlike"] == expected
    assert await PublicWorkLike.count() == 0
    assert await GalleryChangeEvent.count() == events_before


async def test_anonymous_callers_cannot_like_and_nothing_is_written(gql: GraphQLClient) -> None:
    owner = await make_user()
    work_id, _ = await publish(owner.user_id)
    for mutation, name in ((LIKE, "workLike"), (UNLIKE, "workUnlike")):
        result = await gql.execute(mutation, _vars(work_id))
        assert result["data"] is None
        assert [(e["path"], e["extensions"]["code"]) for e in result["errors"]] == [
            ([name], "UNAUTHENTICATED")
        ]
    assert await PublicWorkLike.count() == 0
    row = await read_model(work_id)
    assert row is not None and row["like_count"] == 0
    assert await GalleryChangeEvent.count() == 1  # the publication only


async def test_fifty_concurrent_likes_by_different_users_count_fifty() -> None:
    # given a work and 50 users
    owner = await make_user()
    work_id, _ = await publish(owner.user_id)
    fans = await asyncio.gather(*(make_user() for _ in range(50)))
    # when they all like it at once
    states = await asyncio.gather(
        *(
            like_work(viewer=fan.principal, play_type=TEST_PLAY_TYPE, work_id=work_id)
            for fan in fans
        )
    )
    # then 50 likes, 50 in the read model, and the counts reported were 1..50 exactly once
    row = await read_model(work_id)
    assert row is not None and row["like_count"] == 50
    assert await PublicWorkLike.count() == 50
    assert sorted(state.like_count for state in states) == list(range(1, 51))
    sequences = sorted(entry.sequence for state in states for entry in state.entries)
    assert sequences == list(range(2, 52))


async def test_concurrent_likes_and_unlikes_by_one_user_stay_consistent() -> None:
    # given a work and a fan
    owner = await make_user()
    fan = await make_user()
    work_id, _ = await publish(owner.user_id)
    # when the fan likes 20 times at once
    likes = await asyncio.gather(
        *(
            like_work(viewer=fan.principal, play_type=TEST_PLAY_TYPE, work_id=work_id)
            for _ in range(20)
        )
    )
    # then exactly one changed anything
    assert sum(state.changed for state in likes) == 1
    # when likes and unlikes race
    await asyncio.gather(
        *(
            (like_work if number % 2 else unlike_work)(
                viewer=fan.principal, play_type=TEST_PLAY_TYPE, work_id=work_id
            )
            for number in range(20)
        )
    )
    # then the count matches the like rows
    row = await read_model(work_id)
    assert row is not None
    assert row["like_count"] == await PublicWorkLike.count() <= 1
