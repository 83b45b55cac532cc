"""The viewer's economy fields (mixed into `Viewer`, schema/auth/types.py)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.auth.rows import UserAccountRow
from resolvers.economy import invites, orders
from resolvers.economy.membership import membership_of
from resolvers.economy.tasks import viewer_tasks
from schema.economy.invites import Referral, ViewerInviteCode
from schema.economy.orders import Membership, RechargeOrder
from schema.economy.tasks import ProfileTask
from schema.relay import Connection

FIRST = "Page size, 1 to 100 (default 20)."
AFTER = "`endCursor` of the previous page."


@strawberry.type(description="Economy fields of the viewer.")
class EconomyViewerFields:
    row: strawberry.Private[UserAccountRow]

    @strawberry.field(
        description="Enabled tasks in display order with this cycle's progress (at most 200)."
    )
    async def tasks(self) -> list[ProfileTask]:
        views = await viewer_tasks(user_id=self.row.user_id)
        return [ProfileTask.from_view(view) for view in views]

    @strawberry.field(description="The viewer's invite code (created on first read if missing).")
    async def invite_code(self) -> ViewerInviteCode:
        summary = await invites.viewer_invite(user_id=self.row.user_id)
        return ViewerInviteCode(
            invite_code=summary.invite_code, invited_count=summary.invited_count
        )

    @strawberry.field(description="Users who registered with the viewer's code, newest first.")
    async def referrals(
        self,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[Referral]:
        page = await invites.referrals(user_id=self.row.user_id, first=first, after=after)
        return Connection[Referral].from_page(page, Referral.from_referral)

    @strawberry.field(description="Membership status, tier and expiry.")
    async def membership(self) -> Membership:
        return Membership.from_view(await membership_of(self.row.user_id))

    @strawberry.field(description="The viewer's orders, newest first.")
    async def recharge_orders(
        self,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[RechargeOrder]:
        page = await orders.orders(user_id=self.row.user_id, first=first, after=after)
        return Connection[RechargeOrder].from_page(page, RechargeOrder.from_order)
