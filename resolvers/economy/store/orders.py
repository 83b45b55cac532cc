"""The recharge orders' statements: insert, read, page, and the PENDING → PAID claim that
makes a confirmation deliver at most once; writes run inside the caller's
`write_transaction()`.
"""

from __future__ import annotations

from datetime import datetime

from db.tables.economy import ProfileRechargeOrder
from resolvers.economy.model import OrderStatus, RechargeOrder
from resolvers.pagination import Page, keyset_page

Order = ProfileRechargeOrder


async def insert_order(
    *,
    order_id: str,
    user_id: str,
    product_id: str,
    product_title: str,
    kind: str,
    amount_cents: int,
    status: str,
    payment_channel: str,
    points_delta: int,
    now: datetime,
) -> RechargeOrder:
    """Insert an unpaid order created now; the order as written."""
    order = Order(
        order_id=order_id,
        user_id=user_id,
        product_id=product_id,
        product_title=product_title,
        kind=kind,
        amount_cents=amount_cents,
        status=status,
        payment_channel=payment_channel,
        paid_at=None,
        created_at=now,
        points_delta=points_delta,
        membership_expires_at=None,
    )
    await order.save()
    return RechargeOrder.from_row(order.to_dict())


async def order_by_id(order_id: str) -> RechargeOrder | None:
    """The order, if it exists."""
    row = await Order.select().where(Order.order_id == order_id).first()
    return RechargeOrder.from_row(row) if row is not None else None


async def mark_order_paid(*, order_id: str, now: datetime) -> bool:
    """PENDING → PAID, once: False when the order was not pending (or does not exist)."""
    paid = await (
        Order.update({Order.status: OrderStatus.PAID.value, Order.paid_at: now})
        .where((Order.order_id == order_id) & (Order.status == OrderStatus.PENDING.value))
        .returning(Order.order_id)
    )
    return bool(paid)


async def set_order_membership_expiry(*, order_id: str, expires_at: datetime) -> None:
    """Record on the order the membership expiry it bought."""
    await Order.update({Order.membership_expires_at: expires_at}).where(Order.order_id == order_id)


async def order_page(*, user_id: str, first: int | None, after: str | None) -> Page[RechargeOrder]:
    """The user's orders, newest first."""
    page = await keyset_page(
        Order,
        Order.created_at,
        Order.order_id,
        first=first,
        after=after,
        where=Order.user_id == user_id,
    )
    return Page(
        items=[RechargeOrder.from_row(row) for row in page.items],
        cursors=page.cursors,
        has_next_page=page.has_next_page,
    )
