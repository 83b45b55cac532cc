"""Wallet types."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from resolvers.economy.ledger import wallet_ledger
from resolvers.economy.model import LedgerEntry, LedgerSource
from resolvers.economy.wallet import balance_of
from schema.relay import Connection

strawberry.enum(LedgerSource, description="Why a wallet balance moved.")


@strawberry.type(description="One change of the points balance.")
class WalletLedgerEntry:
    id: strawberry.ID = strawberry.field(
        description="The ledger id; idempotency key of the change "
        "(e.g. `new-user-registration:{userId}`)."
    )
    amount_delta: int = strawberry.field(description="Points added (positive) or spent.")
    balance_after: int = strawberry.field(description="The balance right after this change.")
    source_type: LedgerSource = strawberry.field(description="Why the balance moved.")
    created_at: datetime = strawberry.field(description="When the change was applied.")

    @classmethod
    def from_entry(cls, entry: LedgerEntry) -> WalletLedgerEntry:
        return cls(
            id=strawberry.ID(entry.wallet_ledger_id),
            amount_delta=entry.amount_delta,
            balance_after=entry.balance_after,
            source_type=entry.source_type,
            created_at=entry.created_at,
        )


@strawberry.type(description="The signed-in user's points (光点). Never negative.")
class Wallet:
    user_id: strawberry.Private[str]

    @strawberry.field(description="Current balance in points.")
    async def balance(self) -> int:
        return await balance_of(self.user_id)

    @strawberry.field(description="Every balance change, newest first (keyset paging).")
    async def ledger(
        self,
        first: Annotated[
            int | None,
            strawberry.argument(description="Page size, 1 to 100 (default 20)."),
        ] = None,
        after: Annotated[
            str | None,
            strawberry.argument(description="`endCursor` of the previous page."),
        ] = None,
    ) -> Connection[WalletLedgerEntry]:
        page = await wallet_ledger(user_id=self.user_id, first=first, after=after)
        return Connection[WalletLedgerEntry].from_page(page, WalletLedgerEntry.from_entry)
