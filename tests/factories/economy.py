"""Economy test data: admins, service tokens, tasks and redeem codes (through resolvers)."""

from __future__ import annotations

from typing import Any

from resolvers.analytics.scopes import TrackingScope
from resolvers.auth.admin import grant_admin, issue_service_token
from resolvers.economy.redeem_codes import RedeemCodeInput, RedeemCodeMode, upsert_redeem_code
from resolvers.economy.tasks import TaskConfigInput, TaskCycle, upsert_task_config
from resolvers.principal import Principal, Role
from tests.factories.auth import TestUser, make_user


async def make_admin(username: str | None = None) -> TestUser:
    """A registered user granted the admin role (their token sees it on the next request)."""
    user = await make_user(username)
    await grant_admin(username=user.username)
    return user


def admin_principal(user: TestUser) -> Principal:
    return Principal(role=Role.ADMIN, user_id=user.user_id, session_id=user.session_id)


async def service_token() -> str:
    return (await issue_service_token(name="payments", days=1)).token


SERVICE = Principal(role=Role.SERVICE, credential_id="test-service")


async def make_task(
    admin: TestUser,
    *,
    task_id: str = "daily_login",
    event_key: str = "daily_login",
    threshold: int = 1,
    reward_points: int = 5,
    cycle: TaskCycle = TaskCycle.DAILY,
    enabled: bool = True,
    sort_order: int = 0,
    scope_kind: TrackingScope = TrackingScope.USER,
) -> dict[str, Any]:
    return await upsert_task_config(
        viewer=admin_principal(admin),
        config=TaskConfigInput(
            task_id=task_id,
            title=task_id.replace("_", " "),
            event_key=event_key,
            cycle=cycle,
            scope_kind=scope_kind,
            threshold=threshold,
            reward_points=reward_points,
            enabled=enabled,
            sort_order=sort_order,
        ),
    )


async def make_redeem_code(
    admin: TestUser,
    *,
    code: str,
    mode: RedeemCodeMode = RedeemCodeMode.PUBLIC,
    reward_points: int = 7,
    max_uses: int = 1,
    enabled: bool = True,
    allowed_user_ids: tuple[str, ...] = (),
) -> dict[str, Any]:
    return await upsert_redeem_code(
        viewer=admin_principal(admin),
        code=RedeemCodeInput(
            code=code,
            mode=mode,
            reward_points=reward_points,
            max_uses=max_uses,
            enabled=enabled,
            allowed_user_ids=allowed_user_ids,
        ),
    )
