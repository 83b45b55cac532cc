"""Recharge orders: a user creates one for a catalogue product; a payment service confirms.

Confirmation is one conditional `UPDATE … SET status = 'paid' WHERE order_id = … AND status
= 'pending' RETURNING …` inside the transaction that credits the points (ledger id
`recharge:{order_id}`) or extends the membership, so a second or concurrent confirmation
credits nothing and returns the order as it is (idempotent by order).
"""

from __future__ import annotations

from dataclasses import dataclass

from db.transactions import write_transaction
from resolvers import clock
from resolvers.economy.errors import EconomyError, EconomyErrorCode
from resolvers.economy.membership import extend_membership
from resolvers.economy.model import OrderStatus as OrderStatus  # re-exported
from resolvers.economy.model import RechargeOrder
from resolvers.economy.products import MembershipTier, ProductKind, product
from resolvers.economy.store import orders as store
from resolvers.economy.wallet import LedgerSource, apply_wallet_change
from resolvers.ids import new_id
from resolvers.pagination import Page
from resolvers.principal import Principal
from settings import get_settings


async def create_order(
    *, viewer: Principal, product_id: str, payment_channel: str
) -> RechargeOrder:
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
    async with write_transaction():
        return await store.insert_order(
            order_id=new_id(),
            user_id=user_id,
            product_id=item.product_id,
            product_title=item.title,
            kind=item.kind.value,
            amount_cents=item.amount_cents,
            status=OrderStatus.PENDING.value,
            payment_channel=payment_channel,
            points_delta=item.points,
            now=now,
        )


@dataclass(frozen=True, slots=True)
class Confirmation:
    order: RechargeOrder
    newly_paid: bool


async def confirm_order(*, viewer: Principal, order_id: str) -> Confirmation:
    """Mark a pending order paid and deliver it, at most once (service callers)."""
    viewer.require_service()
    now = clock.now()
    async with write_transaction():
        paid = await store.mark_order_paid(order_id=order_id, now=now)
        if paid:
            row = await store.order_by_id(order_id)
            assert row is not None
            item = product(row.product_id)
            assert item is not None, row.product_id
            if row.kind is ProductKind.POINTS:
                await apply_wallet_change(
                    user_id=row.user_id,
                    ledger_id=f"recharge:{order_id}",
                    delta=row.points_delta,
                    source=LedgerSource.RECHARGE,
                )
            else:
                expires_at = await extend_membership(
                    user_id=row.user_id,
                    tier=item.tier or MembershipTier.MONTHLY,
                    days=item.membership_days,
                )
                await store.set_order_membership_expiry(order_id=order_id, expires_at=expires_at)
    row = await store.order_by_id(order_id)
    if row is None:
        raise EconomyError(EconomyErrorCode.ORDER_NOT_FOUND, "No such order.", field="orderId")
    return Confirmation(order=row, newly_paid=paid)


async def orders(*, user_id: str, first: int | None, after: str | None) -> Page[RechargeOrder]:
    """The user's orders, newest first."""
    return await store.order_page(user_id=user_id, first=first, after=after)
