"""Products, orders and membership on the graph."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from resolvers.economy import model, orders
from resolvers.economy.membership import MembershipStatus, MembershipView
from resolvers.economy.model import OrderStatus
from resolvers.economy.products import PRODUCTS, MembershipTier, Product, ProductKind
from schema.context import Info
from schema.economy.errors import ERRORS, EconomyErrorType
from schema.mutation_errors import DomainErrorPayload
from schema.permissions import IsAuthenticated, IsService

strawberry.enum(ProductKind, description="What a product delivers: points or membership.")
strawberry.enum(MembershipTier, description="Membership tier; a purchase never lowers it.")
strawberry.enum(MembershipStatus, description="Whether the viewer is a member now.")
strawberry.enum(OrderStatus, name="RechargeOrderStatus", description="Where an order stands.")


@strawberry.type(description="A product on sale: a points pack or a membership tier.")
class RechargeProduct:
    id: strawberry.ID = strawberry.field(description="Product id for `rechargeOrderCreate`.")
    title: str = strawberry.field(description="Display title.")
    kind: ProductKind = strawberry.field(description="Points or membership.")
    amount_cents: int = strawberry.field(description="Price in cents (CNY).")
    points: int = strawberry.field(description="Points delivered (points packs).")
    membership_days: int = strawberry.field(description="Days of membership (memberships).")
    tier: MembershipTier | None = strawberry.field(description="Tier (memberships).")

    @classmethod
    def from_product(cls, item: Product) -> RechargeProduct:
        return cls(
            id=strawberry.ID(item.product_id),
            title=item.title,
            kind=item.kind,
            amount_cents=item.amount_cents,
            points=item.points,
            membership_days=item.membership_days,
            tier=item.tier,
        )


@strawberry.type(description="An order for a product.")
class RechargeOrder:
    id: strawberry.ID = strawberry.field(description="Order id.")
    product_id: str = strawberry.field(description="The product bought.")
    product_title: str = strawberry.field(description="Its title at purchase time.")
    kind: ProductKind = strawberry.field(description="Points or membership.")
    amount_cents: int = strawberry.field(description="Price paid, in cents.")
    status: OrderStatus = strawberry.field(description="Pending until the payment is confirmed.")
    payment_channel: str = strawberry.field(description="How it is paid.")
    paid_at: datetime | None = strawberry.field(description="When the payment was confirmed.")
    created_at: datetime = strawberry.field(description="When it was created.")
    points_delta: int = strawberry.field(description="Points it credits (points packs).")
    membership_expires_at: datetime | None = strawberry.field(
        description="Membership expiry right after this order was delivered."
    )

    @classmethod
    def from_order(cls, order: model.RechargeOrder) -> RechargeOrder:
        return cls(
            id=strawberry.ID(order.order_id),
            product_id=order.product_id,
            product_title=order.product_title,
            kind=order.kind,
            amount_cents=order.amount_cents,
            status=order.status,
            payment_channel=order.payment_channel,
            paid_at=order.paid_at,
            created_at=order.created_at,
            points_delta=order.points_delta,
            membership_expires_at=order.membership_expires_at,
        )


@strawberry.type(description="The viewer's membership.")
class Membership:
    status: MembershipStatus = strawberry.field(description="None, active or expired.")
    tier: MembershipTier | None = strawberry.field(description="Tier, once bought.")
    started_at: datetime | None = strawberry.field(description="Start of the current run.")
    expires_at: datetime | None = strawberry.field(description="When it ends.")

    @classmethod
    def from_view(cls, view: MembershipView) -> Membership:
        return cls(
            status=view.status,
            tier=view.tier,
            started_at=view.started_at,
            expires_at=view.expires_at,
        )


@strawberry.type(description="Result of `rechargeOrderCreate`.")
class RechargeOrderCreatePayload:
    errors: list[EconomyErrorType] = strawberry.field(description=ERRORS)
    order: RechargeOrder | None = strawberry.field(description="The pending order, on success.")


@strawberry.type(description="Result of `rechargeOrderConfirm`.")
class RechargeOrderConfirmPayload:
    errors: list[EconomyErrorType] = strawberry.field(description=ERRORS)
    order: RechargeOrder | None = strawberry.field(description="The paid order.")
    newly_paid: bool | None = strawberry.field(
        description="False when it had already been confirmed (nothing credited again)."
    )


@strawberry.type
class OrderQuery:
    @strawberry.field(description="Everything on sale, in catalogue order. Public.")
    def public_recharge_products(self) -> list[RechargeProduct]:
        return [RechargeProduct.from_product(item) for item in PRODUCTS]


@strawberry.type
class OrderMutation:
    @strawberry.mutation(
        description="Order a product at its catalogue price; pending until a payment "
        "service confirms it.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def recharge_order_create(
        self,
        info: Info,
        product_id: Annotated[
            str, strawberry.argument(description="A `publicRechargeProducts` id.")
        ],
        payment_channel: Annotated[
            str, strawberry.argument(description="wechat, alipay, apple or mock (settings).")
        ],
    ) -> RechargeOrderCreatePayload:
        row = await orders.create_order(
            viewer=info.context.principal,
            product_id=product_id,
            payment_channel=payment_channel,
        )
        return RechargeOrderCreatePayload(errors=[], order=RechargeOrder.from_order(row))

    @strawberry.mutation(
        description="Confirm an order's payment: credits the points (ledger source RECHARGE) "
        "or extends the membership, once per order; repeating returns the same order. "
        "Service callers only.",
        permission_classes=[IsService],
        extensions=[DomainErrorPayload()],
    )
    async def recharge_order_confirm(
        self,
        info: Info,
        order_id: Annotated[strawberry.ID, strawberry.argument(description="The order.")],
    ) -> RechargeOrderConfirmPayload:
        done = await orders.confirm_order(viewer=info.context.principal, order_id=str(order_id))
        return RechargeOrderConfirmPayload(
            errors=[], order=RechargeOrder.from_order(done.order), newly_paid=done.newly_paid
        )
