"""Recharge orders: a user creates one for a catalogue product; a payment service confirms.

Confirmation is one conditional `UPDATE … SET status = 'paid' WHERE order_id = … AND status
= 'pending' RETURNING …` inside the transaction that credits the points (ledger id
`recharge:{order_id}`) or extends the membership, so a second or concurrent confirmation
credits nothing and returns the order as it is (idempotent by order).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from db.tables.economy import ProfileRechargeOrder
from db.transactions import write_transaction
from resolvers import clock
from resolvers.economy.errors import EconomyError, EconomyErrorCode
from resolvers.economy.membership import extend_membership
from resolvers.economy.products import MembershipTier, ProductKind, product
from resolvers.economy.wallet import LedgerSource, apply_wallet_change
from resolvers.ids import new_id
from resolvers.pagination import Page, keyset_page
from resolvers.principal import Principal
from settings import get_settings


class OrderStatus(StrEnum):
    PENDING = "pending"
    PAID = "paid"


async def create_order(
    *, viewer: Principal, product_id: str, payment_channel: str
) -> dict[str, Any]:
    """A pending order at the catalogue price."""
    user_id = viewer.require_user()
    item = product(product_id)
    if item is None:
        raise EconomyError(
            EconomyErrorCode.PRODUCT_NOT_FOUND, "No such product.", field="productId"
        )
    if payment_channel not in get_settings().payment_channels:
        raise EconomyError(
            EconomyErrorCode.PAYMENT_CHANNEL_INVALID,
            f"Payment channels: {', '.join(get_settings().payment_channels)}.",
            field="paymentChannel",
        )
    now = clock.now()
    order = ProfileRechargeOrder(
        order_id=new_id(),
        user_id=user_id,
        product_id=item.product_id,
        product_title=item.title,
        kind=item.kind.value,
        amount_cents=item.amount_cents,
        status=OrderStatus.PENDING.value,
        payment_channel=payment_channel,
        paid_at=None,
        created_at=now,
        points_delta=item.points,
        membership_expires_at=None,
    )
    async with write_transaction():
        await order.save()
    return order.to_dict()


async def _order(order_id: str) -> dict[str, Any] | None:
    return (
        await ProfileRechargeOrder.select().where(ProfileRechargeOrder.order_id == order_id).first()
    )


@dataclass(frozen=True, slots=True)
class Confirmation:
    order: dict[str, Any]
    newly_paid: bool


async def confirm_order(*, viewer: Principal, order_id: str) -> Confirmation:
    """Mark a pending order paid and deliver it, at most once (service callers)."""
    viewer.require_service()
    now = clock.now()
    async with write_transaction():
        paid = await ProfileRechargeOrder.raw(
            "UPDATE profile_recharge_order SET status = {}, paid_at = {} "
            "WHERE order_id = {} AND status = {} RETURNING order_id",
            OrderStatus.PAID.value,
            now,
            order_id,
            OrderStatus.PENDING.value,
        )
        if paid:
            row = await _order(order_id)
            assert row is not None
            item = product(row["product_id"])
            assert item is not None, row["product_id"]
            if row["kind"] == ProductKind.POINTS.value:
                await apply_wallet_change(
                    user_id=row["user_id"],
                    ledger_id=f"recharge:{order_id}",
                    delta=int(row["points_delta"]),
                    source=LedgerSource.RECHARGE,
                )
            else:
                expires_at = await extend_membership(
                    user_id=row["user_id"],
                    tier=item.tier or MembershipTier.MONTHLY,
                    days=item.membership_days,
                )
                await ProfileRechargeOrder.update(
                    {ProfileRechargeOrder.membership_expires_at: expires_at}
                ).where(ProfileRechargeOrder.order_id == order_id)
    row = await _order(order_id)
    if row is None:
        raise EconomyError(EconomyErrorCode.ORDER_NOT_FOUND, "No such order.", field="orderId")
    return Confirmation(order=row, newly_paid=bool(paid))


async def orders(*, user_id: str, first: int | None, after: str | None) -> Page[dict[str, Any]]:
    """The user's orders, newest first."""
    return await keyset_page(
        ProfileRechargeOrder,
        ProfileRechargeOrder.created_at,
        ProfileRechargeOrder.order_id,
        first=first,
        after=after,
        where=ProfileRechargeOrder.user_id == user_id,
    )
