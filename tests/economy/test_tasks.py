"""Tasks: progress from tracked events, daily-login from sign-in, one payment per cycle."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import pytest

from db.tables.economy import ProfileTaskConfig, ProfileTaskRewardClaim, ProfileWalletLedger
from resolvers.analytics.calendar import day_key_of_date
from resolvers.analytics.scopes import TrackingScope
from resolvers.analytics.tracking import record_client_event
from resolvers.auth.password_signin import login_with_password
from resolvers.economy.errors import EconomyError, EconomyErrorCode
from resolvers.economy.tasks import TaskCycle, claim_task_reward
from resolvers.economy.wallet import balance_of
from tests.factories.analytics import beijing
from tests.factories.auth import make_user
from tests.factories.economy import make_admin, make_task
from tests.fixtures import FakeClock, GraphQLClient

CLAIM = """
mutation($t: String!) { taskRewardClaim(taskId: $t) {
    errors { code } claim { claimId dayKey rewardPoints walletLedgerId } balance
} }
"""
TASKS = "{ viewer { tasks { taskId progressCount threshold status cycleDayKey } } }"


async def _claim(gql: GraphQLClient, token: str, task_id: str) -> dict[str, Any]:
    result = await gql.execute(CLAIM, {"t": task_id}, token=token)
    payload: dict[str, Any] = result["data"]["taskRewardClaim"]
    return payload


async def test_a_task_on_any_event_pays_after_the_third_event(gql: GraphQLClient) -> None:
    # given a task on an arbitrary event with threshold 3 and reward 12
    admin = await make_admin()
    await make_task(
        admin, task_id="clear_three", event_key="puzzle.cleared", threshold=3, reward_points=12
    )
    user = await make_user()
    # when the event happens twice, the task cannot be claimed
    for _ in range(2):
        await record_client_event(
            viewer=user.principal, event_key="puzzle.cleared", scope_kind=TrackingScope.USER
        )
    assert (await _claim(gql, user.access_token, "clear_three"))["errors"] == [
        {"code": "TASK_NOT_COMPLETED"}
    ]
    tasks = (await gql.execute(TASKS, token=user.access_token))["data"]["viewer"]["tasks"]
    assert [(t["taskId"], t["progressCount"], t["status"]) for t in tasks] == [
        ("clear_three", 2, "IN_PROGRESS")
    ]
    # then after the third it pays 12 once, through the ledger
    await record_client_event(
        viewer=user.principal, event_key="puzzle.cleared", scope_kind=TrackingScope.USER
    )
    paid = await _claim(gql, user.access_token, "clear_three")
    today = tasks[0]["cycleDayKey"]
    claim_id = f"{user.user_id}:clear_three:{today}"
    assert paid == {
        "errors": [],
        "claim": {
            "claimId": claim_id,
            "dayKey": today,
            "rewardPoints": 12,
            "walletLedgerId": f"task-reward:{claim_id}",
        },
        "balance": 22,
    }
    again = await _claim(gql, user.access_token, "clear_three")
    assert again["errors"] == [{"code": "TASK_ALREADY_CLAIMED"}]
    assert await balance_of(user.user_id) == 22
    ledger = await ProfileWalletLedger.select(ProfileWalletLedger.source_type).where(
        ProfileWalletLedger.user_id == user.user_id
    )
    assert sorted(row["source_type"] for row in ledger) == [
        "new_user_registration_reward",
        "task_reward",
    ]
    tasks = (await gql.execute(TASKS, token=user.access_token))["data"]["viewer"]["tasks"]
    assert tasks[0]["status"] == "CLAIMED"


async def test_signing_in_advances_the_daily_login_task(gql: GraphQLClient) -> None:
    # given the daily_login task and a user who registered before it existed
    user = await make_user()
    admin = await make_admin()
    await make_task(admin, task_id="daily_login", event_key="daily_login", threshold=1)
    # when the user signs in
    await login_with_password(username=user.username, password=user.password)
    # then the task is completed and pays once
    tasks = (await gql.execute(TASKS, token=user.access_token))["data"]["viewer"]["tasks"]
    assert [(t["progressCount"], t["status"]) for t in tasks] == [(1, "COMPLETED")]
    assert (await _claim(gql, user.access_token, "daily_login"))["balance"] == 15


async def test_a_weekly_task_pays_once_per_iso_week(clock: FakeClock) -> None:
    # given a weekly task on a Wednesday (2025-01-01, ISO week starting Monday 2024-12-30)
    clock.current = beijing(2025, 1, 1, 9)
    admin = await make_admin()
    await make_task(
        admin, task_id="weekly_play", event_key="play", cycle=TaskCycle.WEEKLY, reward_points=3
    )
    user = await make_user()
    await record_client_event(
        viewer=user.principal, event_key="play", scope_kind=TrackingScope.USER
    )
    claim = await claim_task_reward(viewer=user.principal, task_id="weekly_play")
    monday = day_key_of_date(date(2024, 12, 30))
    assert claim.claim_id == f"{user.user_id}:weekly_play:{monday}"
    # when the same week's Sunday comes, the cycle is the same: no second payment
    clock.current = beijing(2025, 1, 5, 23, 59)
    await record_client_event(
        viewer=user.principal, event_key="play", scope_kind=TrackingScope.USER
    )
    with pytest.raises(EconomyError) as refused:
        await claim_task_reward(viewer=user.principal, task_id="weekly_play")
    assert refused.value.code is EconomyErrorCode.TASK_ALREADY_CLAIMED
    # then the next Monday starts a new cycle that needs new progress
    clock.current = beijing(2025, 1, 6, 0, 1)
    with pytest.raises(EconomyError) as early:
        await claim_task_reward(viewer=user.principal, task_id="weekly_play")
    assert early.value.code is EconomyErrorCode.TASK_NOT_COMPLETED
    await record_client_event(
        viewer=user.principal, event_key="play", scope_kind=TrackingScope.USER
    )
    second = await claim_task_reward(viewer=user.principal, task_id="weekly_play")
    assert second.day_key == monday + 7
    assert await balance_of(user.user_id) == 16


async def test_concurrent_claims_of_the_same_task_pay_once() -> None:
    admin = await make_admin()
    await make_task(admin, task_id="tap_once", event_key="tap", reward_points=9)
    user = await make_user()
    await record_client_event(viewer=user.principal, event_key="tap", scope_kind=TrackingScope.USER)

    async def claim() -> bool:
        try:
            await claim_task_reward(viewer=user.principal, task_id="tap_once")
        except EconomyError as error:
            assert error.code is EconomyErrorCode.TASK_ALREADY_CLAIMED
            return False
        return True

    outcomes = await asyncio.gather(*[claim() for _ in range(20)])
    assert sum(outcomes) == 1
    assert await balance_of(user.user_id) == 19
    assert await ProfileTaskRewardClaim.count() == 1


async def test_disabled_tasks_are_hidden_and_do_not_pay(gql: GraphQLClient) -> None:
    admin = await make_admin()
    await make_task(admin, task_id="off", event_key="tap", enabled=False)
    user = await make_user()
    await record_client_event(viewer=user.principal, event_key="tap", scope_kind=TrackingScope.USER)
    assert (await gql.execute(TASKS, token=user.access_token))["data"]["viewer"]["tasks"] == []
    assert (await _claim(gql, user.access_token, "off"))["errors"] == [{"code": "TASK_NOT_FOUND"}]


UPSERT = """
mutation($i: TaskConfigUpsertInput!) { taskConfigUpsert(input: $i) {
    errors { code field } taskConfig { taskId eventKey cycle threshold rewardPoints enabled }
} }
"""
TASK_INPUT = {
    "taskId": "share_work",
    "title": "Share a work",
    "eventKey": "work.share",
    "cycle": "WEEKLY",
    "threshold": 2,
    "rewardPoints": 4,
}


async def test_admins_configure_and_list_tasks(gql: GraphQLClient) -> None:
    admin = await make_admin()
    created = await gql.execute(UPSERT, {"i": TASK_INPUT}, token=admin.access_token)
    assert created["data"]["taskConfigUpsert"] == {
        "errors": [],
        "taskConfig": {
            "taskId": "share_work",
            "eventKey": "work.share",
            "cycle": "WEEKLY",
            "threshold": 2,
            "rewardPoints": 4,
            "enabled": True,
        },
    }
    changed = await gql.execute(
        UPSERT, {"i": {**TASK_INPUT, "threshold": 5}}, token=admin.access_token
    )
    assert changed["data"]["taskConfigUpsert"]["taskConfig"]["threshold"] == 5
    bad = await gql.execute(UPSERT, {"i": {**TASK_INPUT, "threshold": 0}}, token=admin.access_token)
    assert bad["data"]["taskConfigUpsert"]["errors"] == [
        {"code": "TASK_CONFIG_INVALID", "field": "threshold"}
    ]
    listed = await gql.execute("{ taskConfigs { taskId threshold } }", token=admin.access_token)
    assert listed["data"]["taskConfigs"] == [{"taskId": "share_work", "threshold": 5}]


async def test_task_admin_surfaces_refuse_anonymous_callers_and_users(
    gql: GraphQLClient,
) -> None:
    user = await make_user()
    for operation, variables in [(UPSERT, {"i": TASK_INPUT}), ("{ taskConfigs { taskId } }", {})]:
        anonymous = await gql.execute(operation, variables)
        assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        plain = await gql.execute(operation, variables, token=user.access_token)
        assert plain["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await ProfileTaskConfig.count() == 0


async def test_claiming_and_listing_tasks_refuse_anonymous_callers(gql: GraphQLClient) -> None:
    assert (await gql.execute(CLAIM, {"t": "x"}))["errors"][0]["extensions"][
        "code"
    ] == "UNAUTHENTICATED"
    assert (await gql.execute(TASKS))["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
