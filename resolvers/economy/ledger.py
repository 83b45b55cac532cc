"""Reading the wallet ledger, newest first."""

from __future__ import annotations

from typing import Any

from db.tables.economy import ProfileWalletLedger
from resolvers.pagination import Page, keyset_page


async def wallet_ledger(
    *, user_id: str, first: int | None, after: str | None
) -> Page[dict[str, Any]]:
    """The user's ledger rows, newest first (ties broken by id), one statement per page."""
    return await keyset_page(
        ProfileWalletLedger,
        ProfileWalletLedger.created_at,
        ProfileWalletLedger.wallet_ledger_id,
        first=first,
        after=after,
        where=ProfileWalletLedger.user_id == user_id,
    )
