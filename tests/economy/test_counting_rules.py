"""Counting rules of tasks, codes and invites (docs/domain.md, "Analytics and tasks" and
"Codes, invites, membership, orders"): task scopes and order, private redeem codes counted
in all, admin invite tags under the older key, and a referral bound once."""

from __future__ import annotations

from typing import Any

import pytest

from db.tables.auth import UserAccount
from db.tables.economy import (
    ProfileInviteCode,
    ProfileRedeemCodeUsage,
    ProfileReferralRelation,
    ProfileWalletLedger,
)
from db.transactions import write_transaction
from resolvers.analytics.scopes import TrackingScope
from resolvers.analytics.tracking import record_client_event
from resolvers.auth.password_signin import register_with_password
from resolvers.economy.errors import EconomyError, EconomyErrorCode
from resolvers.economy.invites import (
    AdminInviteCodeInput,
    apply_invite_at_registration,
    upsert_admin_invite_code,
)
from resolvers.economy.redeem_codes import RedeemCodeMode, redeem
from resolvers.economy.wallet import balance_of
from tests.factories.auth import TestUser, make_user
from tests.factories.economy import admin_principal, make_admin, make_redeem_code, make_task
from tests.fixtures import GraphQLClient

TASKS = "{ viewer { tasks { taskId progressCount status } } }"


async def _tasks(gql: GraphQLClient, user: TestUser) -> list[tuple[str, int, str]]:
    result = await gql.execute(TASKS, token=user.access_token)
    tasks: list[dict[str, Any]] = result["data"]["viewer"]["tasks"]
    return [(t["taskId"], t["progressCount"], t["status"]) for t in tasks]


async def test_a_work_scoped_task_does_not_count_user_scoped_events(gql: GraphQLClient) -> None:
    # given a task on `level.cleared` events of WORK scope, threshold 2
    admin = await make_admin()
    await make_task(
        admin,
        task_id="clear_levels",
        event_key="level.cleared",
        threshold=2,
        scope_kind=TrackingScope.WORK,
    )
    user = await make_user()
    # when the user sends the same key twice in USER scope
    for _ in range(2):
        await record_client_event(
            viewer=user.principal, event_key="level.cleared", scope_kind=TrackingScope.USER
        )
    # then the task has not moved
    assert await _tasks(gql, user) == [("clear_levels", 0, "IN_PROGRESS")]
    # when they send it once in WORK scope
    await record_client_event(
        viewer=user.principal,
        event_key="level.cleared",
        scope_kind=TrackingScope.WORK,
        scope_id="work-1",
    )
    # then exactly that event counts
    assert await _tasks(gql, user) == [("clear_levels", 1, "IN_PROGRESS")]


async def test_sort_order_orders_viewer_tasks(gql: GraphQLClient) -> None:
    # given three tasks whose sort order differs from their creation and id order
    admin = await make_admin()
    for task_id, sort_order in (("zeta", 1), ("alpha", 3), ("mid", 2)):
        await make_task(admin, task_id=task_id, event_key=f"{task_id}.done", sort_order=sort_order)
    user = await make_user()
    # then viewer.tasks lists them by sort order
    assert [task_id for task_id, _, _ in await _tasks(gql, user)] == ["zeta", "mid", "alpha"]
    # when an admin moves `alpha` to the front
    await make_task(admin, task_id="alpha", event_key="alpha.done", sort_order=0)
    # then it comes first
    assert [task_id for task_id, _, _ in await _tasks(gql, user)] == ["alpha", "zeta", "mid"]


async def test_a_private_code_is_counted_globally_across_its_allowed_users() -> None:
    # given a private code of 2 uses for three allowed users
    admin = await make_admin()
    first, second, third = await make_user(), await make_user(), await make_user()
    await make_redeem_code(
        admin,
        code="TEAM-2",
        mode=RedeemCodeMode.PRIVATE,
        reward_points=7,
        max_uses=2,
        allowed_user_ids=(first.user_id, second.user_id, third.user_id),
    )
    # when the first and the second use it
    assert (await redeem(viewer=first.principal, code="TEAM-2")).balance == 17
    assert (await redeem(viewer=second.principal, code="TEAM-2")).balance == 17
    # then the second use was the last: the third allowed user is refused, nothing written
    with pytest.raises(EconomyError) as refused:
        await redeem(viewer=third.principal, code="TEAM-2")
    assert refused.value.code == EconomyErrorCode.REDEEM_CODE_EXHAUSTED
    assert await ProfileRedeemCodeUsage.count() == 2
    assert await balance_of(third.user_id) == 10
    assert (
        await ProfileWalletLedger.count().where(ProfileWalletLedger.source_type == "redeem_code")
        == 2
    )


async def test_admin_invite_tags_are_also_read_from_the_older_user_tags_key() -> None:
    # given an admin code whose metadata carries its tags under the older `user_tags` key
    admin = await make_admin()
    await upsert_admin_invite_code(
        viewer=admin_principal(admin), code=AdminInviteCodeInput(invite_code="LEGACY1")
    )
    await ProfileInviteCode.raw(
        "UPDATE profile_invite_code SET metadata_json = {} WHERE user_id = {}",
        '{"user_tags": ["legacy", "kol"]}',
        "admin:LEGACY1",
    )
    # when someone registers with it
    signed_up = await register_with_password(
        username="late_comer", password="correct horse battery", invite_code="legacy1"
    )
    # then the new user carries those tags
    row = (
        await UserAccount.select(UserAccount.user_tags)
        .where(UserAccount.user_id == signed_up.user.user_id)
        .output(load_json=True)
        .first()
    )
    assert row == {"user_tags": ["legacy", "kol"]}


async def test_a_second_or_retried_referral_binding_of_the_same_invitee_changes_nothing() -> None:
    # given an invitee bound to a first inviter (both rewarded)
    first_inviter, other_inviter = await make_user(), await make_user()
    codes = {
        row["user_id"]: row["invite_code"]
        for row in await ProfileInviteCode.select(
            ProfileInviteCode.user_id, ProfileInviteCode.invite_code
        )
    }
    signed_up = await register_with_password(
        username="invitee",
        password="correct horse battery",
        invite_code=codes[first_inviter.user_id],
    )
    invitee_id = signed_up.user.user_id
    relations = await ProfileReferralRelation.select()
    ledger_count = await ProfileWalletLedger.count()
    # when the binding is retried with the same code and tried with another inviter's
    for code in (codes[first_inviter.user_id], codes[other_inviter.user_id]):
        async with write_transaction():
            await apply_invite_at_registration(user_id=invitee_id, invite_code=code)
    # then the relation, the rewards and every balance are unchanged
    assert await ProfileReferralRelation.select() == relations
    assert [(r["inviter_user_id"], r["invitee_user_id"]) for r in relations] == [
        (first_inviter.user_id, invitee_id)
    ]
    assert await ProfileWalletLedger.count() == ledger_count
    assert (
        await balance_of(invitee_id),
        await balance_of(first_inviter.user_id),
        await balance_of(other_inviter.user_id),
    ) == (20, 30, 10)
