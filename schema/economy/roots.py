"""The economy domain's root fields, gathered for schema/build.py."""

from __future__ import annotations

import strawberry

from schema.economy.invites import InviteMutation, InviteQuery
from schema.economy.orders import OrderMutation, OrderQuery
from schema.economy.redeem_codes import RedeemCodeMutation, RedeemCodeQuery
from schema.economy.tasks import TaskMutation, TaskQuery


@strawberry.type
class EconomyQuery(TaskQuery, RedeemCodeQuery, InviteQuery, OrderQuery):
    pass


@strawberry.type
class EconomyMutation(TaskMutation, RedeemCodeMutation, InviteMutation, OrderMutation):
    pass
