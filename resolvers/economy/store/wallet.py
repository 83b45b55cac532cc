"""The wallet's statements: ledger rows and the dashboard row (balance, play time, the
per-user lock).

Every write here is one conditional statement (a claimed key, a guarded update, an upsert),
so callers keep their guarantees under concurrency on both engines; all run inside the
caller's `write_transaction()`.
"""

from __future__ import annotations

from datetime import datetime

from db.tables.economy import ProfileDashboardState, ProfileWalletLedger
from resolvers.economy.model import LedgerEntry, LedgerSource
from resolvers.pagination import Page, keyset_page

Dashboard = ProfileDashboardState
Ledger = ProfileWalletLedger


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


async def set_balance_after(*, ledger_id: str, balance: int) -> None:
    """Record the balance after the move on ledger row `ledger_id`."""
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
    """The user's balance (0 without a dashboard row)."""
    row = (
        await Dashboard.select(Dashboard.wallet_balance).where(Dashboard.user_id == user_id).first()
    )
    return int(row["wallet_balance"]) if row else 0


async def ledger_page(*, user_id: str, first: int | None, after: str | None) -> Page[LedgerEntry]:
    """The user's ledger rows, newest first (ties broken by id)."""
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


async def total_play_time_ms(user_id: str) -> int:
    """Time the user spent in finished PLAY runs (0 before the first)."""
    row = (
        await ProfileDashboardState.select(ProfileDashboardState.total_play_time_ms)
        .where(ProfileDashboardState.user_id == user_id)
        .first()
    )
    return int(row["total_play_time_ms"]) if row else 0
