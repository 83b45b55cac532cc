"""Reading the wallet ledger, newest first."""

from __future__ import annotations

from resolvers.economy.model import LedgerEntry
from resolvers.economy.store import wallet as store
from resolvers.pagination import Page


async def wallet_ledger(*, user_id: str, first: int | None, after: str | None) -> Page[LedgerEntry]:
    """The user's ledger rows, newest first (ties broken by id), one statement per page."""
    return await store.ledger_page(user_id=user_id, first=first, after=after)
