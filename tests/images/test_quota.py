"""The daily quota of image generations: a row per user and Beijing day, exact under
concurrent requests on either engine."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from db.tables.ai_tasks import AiTask, AiTasksImageQuota
from resolvers.images.quota import quota_id
from resolvers.puzzle.plugin import PUZZLE
from resolvers.worlds.plugin import CUSTOM_WORLD
from tests.factories.auth import make_user
from tests.factories.images import cover
from tests.fixtures import GraphQLClient


async def test_ten_concurrent_requests_at_the_limit_get_exactly_the_remaining_count(
    gql: GraphQLClient, use_settings: Callable[..., None]
) -> None:
    # given a quota of 5 of which 2 are used today
    use_settings(IMAGE_DAILY_QUOTA="5")
    owner = await make_user()
    work = await PUZZLE.start_session(viewer=owner.principal, seed_text="")
    for expected in (4, 3):
        result = await cover(gql, owner.access_token, "PUZZLE", work.work_id, "a kite")
        assert result["data"]["workCoverGenerate"]["remainingToday"] == expected
    # when 10 requests arrive at once
    results = await asyncio.gather(
        *(
            cover(gql, owner.access_token, "PUZZLE", work.work_id, f"a kite {number}")
            for number in range(10)
        )
    )
    # then exactly the 3 remaining are queued, the others are QUOTA_EXCEEDED with no task
    payloads = [result["data"]["workCoverGenerate"] for result in results]
    accepted = [payload for payload in payloads if payload["errors"] == []]
    refused = [payload for payload in payloads if payload["errors"]]
    assert sorted(payload["remainingToday"] for payload in accepted) == [0, 1, 2]
    assert all(payload["task"]["status"] in ("PENDING", "RUNNING") for payload in accepted)
    assert [payload["errors"][0]["code"] for payload in refused] == ["QUOTA_EXCEEDED"] * 7
    assert all(payload["task"] is None for payload in refused)
    assert await AiTask.count() == 5
    rows = await AiTasksImageQuota.select(AiTasksImageQuota.user_id, AiTasksImageQuota.used)
    assert rows == [{"user_id": owner.user_id, "used": 5}]


async def test_the_quota_is_per_user_and_per_day(
    gql: GraphQLClient, use_settings: Callable[..., None]
) -> None:
    # given a quota of 1, used up by one user today
    use_settings(IMAGE_DAILY_QUOTA="1")
    first, second = await make_user(), await make_user()
    works = [
        await CUSTOM_WORLD.start_session(viewer=user.principal, seed_text="")
        for user in (first, second)
    ]
    ok = await cover(gql, first.access_token, "CUSTOM_WORLD", works[0].work_id, "a dune")
    assert ok["data"]["workCoverGenerate"]["remainingToday"] == 0
    over = await cover(gql, first.access_token, "CUSTOM_WORLD", works[0].work_id, "a dune")
    assert over["data"]["workCoverGenerate"]["errors"][0]["code"] == "QUOTA_EXCEEDED"
    # when another user asks today
    other = await cover(gql, second.access_token, "CUSTOM_WORLD", works[1].work_id, "a dune")
    # and the first one once their row belongs to yesterday
    today = await AiTasksImageQuota.select().where(AiTasksImageQuota.user_id == first.user_id)
    yesterday = today[0]["day_key"] - 1
    await AiTasksImageQuota.update(
        {
            AiTasksImageQuota.day_key: yesterday,
            AiTasksImageQuota.quota_id: quota_id(first.user_id, yesterday),
        }
    ).where(AiTasksImageQuota.user_id == first.user_id)
    again = await cover(gql, first.access_token, "CUSTOM_WORLD", works[0].work_id, "a dune")
    # then both are queued, each day and user counted on its own row
    assert other["data"]["workCoverGenerate"]["errors"] == []
    assert again["data"]["workCoverGenerate"]["remainingToday"] == 0
    assert await AiTask.count() == 3
    rows = await AiTasksImageQuota.select(
        AiTasksImageQuota.user_id, AiTasksImageQuota.day_key, AiTasksImageQuota.used
    ).order_by(AiTasksImageQuota.quota_id)
    assert sorted((row["user_id"], row["day_key"], row["used"]) for row in rows) == sorted(
        [
            (first.user_id, yesterday, 1),
            (first.user_id, yesterday + 1, 1),
            (second.user_id, yesterday + 1, 1),
        ]
    )


async def test_a_quota_of_zero_refuses_every_request(
    gql: GraphQLClient, use_settings: Callable[..., None]
) -> None:
    use_settings(IMAGE_DAILY_QUOTA="0")
    owner = await make_user()
    work = await PUZZLE.start_session(viewer=owner.principal, seed_text="")
    result = await cover(gql, owner.access_token, "PUZZLE", work.work_id, "a kite")
    assert result["data"]["workCoverGenerate"]["errors"][0]["code"] == "QUOTA_EXCEEDED"
    assert await AiTask.count() == 0
    assert await AiTasksImageQuota.count() == 0
