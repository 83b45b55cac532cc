"""The wallet, dashboard, ledger, membership and order statements of the economy.

Every write here is one conditional statement (a claimed key, a guarded update, a
compare-and-set), so callers keep their guarantees under concurrency on both engines; all
run inside the caller's `write_transaction()`.
"""

from __future__ import annotations

from datetime import datetime

from db.tables.economy import (
    ProfileDashboardState,
    ProfileMembership,
    ProfileRechargeOrder,
    ProfileWalletLedger,
)
from resolvers.economy.model import (
    LedgerEntry,
    LedgerSource,
    MembershipRecord,
    OrderStatus,
    RechargeOrder,
)
from resolvers.economy.products import MembershipTier
from resolvers.pagination import Page, keyset_page

Dashboard = ProfileDashboardState
Ledger = ProfileWalletLedger
Membership = ProfileMembership
Order = ProfileRechargeOrder

# Wallet ----------------------------------------------------------------------------------


async def claim_ledger_id(
    *, ledger_id: str, user_id: str, delta: int, source: LedgerSource, now: datetime
) -> bool:
    """Insert ledger row `ledger_id` (balance filled in later); False when it exists."""
    claimed = await (
        Ledger.insert(
            Ledger(
                wallet_ledger_id=ledger_id,
                user_id=user_id,
                amount_delta=delta,
                balance_after=0,
                source_type=source.value,
                created_at=now,
            )
        )
        .on_conflict(target=Ledger.wallet_ledger_id, action="DO NOTHING")
        .returning(Ledger.wallet_ledger_id)
        .run()
    )
    return bool(claimed)


async def set_balance_after(ledger_id: str, balance: int) -> None:
    await Ledger.update({Ledger.balance_after: balance}).where(Ledger.wallet_ledger_id == ledger_id)


async def credit_balance(*, user_id: str, delta: int, now: datetime) -> int:
    """Add `delta` (> 0) to the balance, creating the dashboard row; the new balance."""
    # Raw: Piccolo's on_conflict writes `wallet_balance + …` unqualified (ambiguous on PG).
    rows = await Dashboard.raw(
        "INSERT INTO profile_dashboard_state "
        "(user_id, wallet_balance, total_play_time_ms, created_at, updated_at) "
        "VALUES ({}, {}, 0, {}, {}) ON CONFLICT (user_id) DO UPDATE SET "
        "wallet_balance = profile_dashboard_state.wallet_balance + excluded.wallet_balance, "
        "updated_at = excluded.updated_at RETURNING wallet_balance",
        user_id,
        delta,
        now,
        now,
    )
    return int(rows[0]["wallet_balance"])


async def lock_dashboard(*, user_id: str, now: datetime) -> None:
    """Take the user's dashboard row lock (creating the row if needed), inside the caller's
    transaction: whatever the caller does next for this user is serialized (run starts)."""
    # Raw: the no-op `DO UPDATE` that takes the lock names the table's own column.
    await Dashboard.raw(
        "INSERT INTO profile_dashboard_state "
        "(user_id, wallet_balance, total_play_time_ms, created_at, updated_at) "
        "VALUES ({}, 0, 0, {}, {}) ON CONFLICT (user_id) DO UPDATE SET "
        "updated_at = profile_dashboard_state.updated_at",
        user_id,
        now,
        now,
    )


async def add_play_time(*, user_id: str, elapsed_ms: int, now: datetime) -> None:
    """Add `elapsed_ms` to the user's total play time, creating the dashboard row."""
    # Raw: Piccolo's on_conflict writes `total_play_time_ms + …` unqualified (ambiguous on PG).
    await Dashboard.raw(
        "INSERT INTO profile_dashboard_state "
        "(user_id, wallet_balance, total_play_time_ms, created_at, updated_at) "
        "VALUES ({}, 0, {}, {}, {}) ON CONFLICT (user_id) DO UPDATE SET "
        "total_play_time_ms = profile_dashboard_state.total_play_time_ms + "
        "excluded.total_play_time_ms, updated_at = excluded.updated_at",
        user_id,
        elapsed_ms,
        now,
        now,
    )


async def debit_balance(*, user_id: str, delta: int, now: datetime) -> int | None:
    """Add `delta` (< 0) unless the balance would go negative; the new balance, or None."""
    rows = await (
        Dashboard.update(
            {Dashboard.wallet_balance: Dashboard.wallet_balance + delta, Dashboard.updated_at: now}
        )
        .where((Dashboard.user_id == user_id) & (Dashboard.wallet_balance >= -delta))
        .returning(Dashboard.wallet_balance)
    )
    return int(rows[0]["wallet_balance"]) if rows else None


async def balance_of(user_id: str) -> int:
    row = (
        await Dashboard.select(Dashboard.wallet_balance).where(Dashboard.user_id == user_id).first()
    )
    return int(row["wallet_balance"]) if row else 0


async def ledger_page(*, user_id: str, first: int | None, after: str | None) -> Page[LedgerEntry]:
    page = await keyset_page(
        Ledger,
        Ledger.created_at,
        Ledger.wallet_ledger_id,
        first=first,
        after=after,
        where=Ledger.user_id == user_id,
    )
    return Page(
        items=[LedgerEntry.from_row(row) for row in page.items],
        cursors=page.cursors,
        has_next_page=page.has_next_page,
    )


# Membership ------------------------------------------------------------------------------


async def membership_row(user_id: str) -> MembershipRecord | None:
    row = await Membership.select().where(Membership.user_id == user_id).first()
    return MembershipRecord.from_row(row) if row is not None else None


async def create_membership(
    *, user_id: str, status: str, tier: MembershipTier, now: datetime, expires_at: datetime
) -> bool:
    """Insert the user's membership; False when a concurrent order created it first."""
    created = await (
        Membership.insert(
            Membership(
                user_id=user_id,
                status=status,
                tier=tier.value,
                started_at=now,
                expires_at=expires_at,
                updated_at=now,
            )
        )
        .on_conflict(target=Membership.user_id, action="DO NOTHING")
        .returning(Membership.user_id)
        .run()
    )
    return bool(created)


async def move_membership(
    *,
    user_id: str,
    read_expires_at: datetime,
    status: str,
    tier: str,
    started_at: datetime,
    expires_at: datetime,
    now: datetime,
) -> bool:
    """Compare-and-set on the expiry read before: False when another order moved it."""
    moved = await (
        Membership.update(
            {
                Membership.status: status,
                Membership.tier: tier,
                Membership.started_at: started_at,
                Membership.expires_at: expires_at,
                Membership.updated_at: now,
            }
        )
        .where((Membership.user_id == user_id) & (Membership.expires_at == read_expires_at))
        .returning(Membership.user_id)
    )
    return bool(moved)


# Orders ----------------------------------------------------------------------------------


async def insert_order(order: ProfileRechargeOrder) -> RechargeOrder:
    await order.save()
    return RechargeOrder.from_row(order.to_dict())


async def order_by_id(order_id: str) -> RechargeOrder | None:
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


async def set_order_membership_expiry(order_id: str, expires_at: datetime) -> None:
    await Order.update({Order.membership_expires_at: expires_at}).where(Order.order_id == order_id)


async def order_page(*, user_id: str, first: int | None, after: str | None) -> Page[RechargeOrder]:
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


async def total_play_time_ms(user_id: str) -> int:
    """Time the user spent in finished PLAY runs (0 before the first)."""
    row = (
        await ProfileDashboardState.select(ProfileDashboardState.total_play_time_ms)
        .where(ProfileDashboardState.user_id == user_id)
        .first()
    )
    return int(row["total_play_time_ms"]) if row else 0
