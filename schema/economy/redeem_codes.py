"""Redeem codes on the graph: redemption (users), upsert and list (admins)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from resolvers.economy import redeem_codes
from resolvers.economy.model import RedeemCode, RedeemCodeMode
from resolvers.economy.redeem_codes import RedeemCodeInput
from schema.auth.user import User
from schema.context import Info
from schema.economy.errors import ERRORS, EconomyErrorType
from schema.ids import object_id
from schema.mutation_errors import DomainErrorPayload
from schema.permissions import IsAdmin, IsAuthenticated
from schema.relay import Connection

strawberry.enum(
    RedeemCodeMode,
    description="PUBLIC: each user up to `maxUses` times; UNIQUE: `maxUses` uses in all; "
    "PRIVATE: only the listed users, `maxUses` uses in all.",
)


@strawberry.type(description="A redeem code as operations see it (admins).")
class AdminRedeemCode:
    code: str = strawberry.field(description="The code (upper case).")
    mode: RedeemCodeMode = strawberry.field(description="How uses are counted.")
    reward_points: int = strawberry.field(description="Points granted per use.")
    max_uses: int = strawberry.field(description="Per user (PUBLIC) or in all (others).")
    global_used_count: int = strawberry.field(description="Uses so far, by everyone.")
    enabled: bool = strawberry.field(description="Disabled codes are refused.")
    allowed_user_ids: list[str] = strawberry.field(description="PRIVATE: who may use it.")
    created_by: str = strawberry.field(description="Admin who created it.")
    created_at: datetime = strawberry.field(description="Creation time.")
    updated_at: datetime = strawberry.field(description="Last change by an admin.")

    @classmethod
    def from_code(cls, code: RedeemCode) -> AdminRedeemCode:
        return cls(
            code=code.code,
            mode=code.mode,
            reward_points=code.reward_points,
            max_uses=code.max_uses,
            global_used_count=code.global_used_count,
            enabled=code.enabled,
            allowed_user_ids=list(code.allowed_user_ids),
            created_by=code.created_by,
            created_at=code.created_at,
            updated_at=code.updated_at,
        )


@strawberry.input(description="A redeem code to create or change (by `code`).")
class RedeemCodeUpsertInput:
    code: str = strawberry.field(description="4 to 32 letters, digits, `_` or `-` (any case).")
    mode: RedeemCodeMode = strawberry.field(description="How uses are counted.")
    reward_points: int = strawberry.field(description="Points per use, 1 to 1,000,000.")
    max_uses: int = strawberry.field(description="1 to 1,000,000; see `mode`.")
    enabled: bool = strawberry.field(default=True, description="Whether it can be used.")
    allowed_user_ids: list[str] = strawberry.field(
        default_factory=list,
        description="PRIVATE codes: the users who may use it (≤ 1,000), by user id or `User.id`.",
    )


@strawberry.type(description="Result of `redeemCodeUpsert`.")
class RedeemCodeUpsertPayload:
    errors: list[EconomyErrorType] = strawberry.field(description=ERRORS)
    redeem_code: AdminRedeemCode | None = strawberry.field(description="The code, on success.")


@strawberry.type(description="Result of `redeemCodeUse`.")
class RedeemCodeUsePayload:
    errors: list[EconomyErrorType] = strawberry.field(description=ERRORS)
    code: str | None = strawberry.field(description="The code used.")
    points_granted: int | None = strawberry.field(description="Points added to the wallet.")
    balance: int | None = strawberry.field(description="The wallet balance afterwards.")


@strawberry.type
class RedeemCodeQuery:
    @strawberry.field(
        description="Every redeem code, most recently changed first. Admins only.",
        permission_classes=[IsAdmin],
    )
    async def redeem_codes(
        self,
        info: Info,
        first: Annotated[
            int | None, strawberry.argument(description="Page size, 1 to 100 (default 20).")
        ] = None,
        after: Annotated[
            str | None, strawberry.argument(description="`endCursor` of the previous page.")
        ] = None,
    ) -> Connection[AdminRedeemCode]:
        page = await redeem_codes.redeem_codes(
            viewer=info.context.principal, first=first, after=after
        )
        return Connection[AdminRedeemCode].from_page(page, AdminRedeemCode.from_code)


@strawberry.type
class RedeemCodeMutation:
    @strawberry.mutation(
        description="Create a code or change one (its use count is kept). Admins only.",
        permission_classes=[IsAdmin],
        extensions=[DomainErrorPayload()],
    )
    async def redeem_code_upsert(
        self,
        info: Info,
        input: Annotated[RedeemCodeUpsertInput, strawberry.argument(description="The code.")],
    ) -> RedeemCodeUpsertPayload:
        row = await redeem_codes.upsert_redeem_code(
            viewer=info.context.principal,
            code=RedeemCodeInput(
                code=input.code,
                mode=input.mode,
                reward_points=input.reward_points,
                max_uses=input.max_uses,
                enabled=input.enabled,
                allowed_user_ids=tuple(object_id(user, User) for user in input.allowed_user_ids),
            ),
        )
        return RedeemCodeUpsertPayload(errors=[], redeem_code=AdminRedeemCode.from_code(row))

    @strawberry.mutation(
        description="Use a redeem code: points through the ledger (source REDEEM_CODE). "
        "10 unknown codes within 15 minutes lock redeeming for 15 minutes.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def redeem_code_use(
        self,
        info: Info,
        code: Annotated[str, strawberry.argument(description="The code, any case.")],
    ) -> RedeemCodeUsePayload:
        used = await redeem_codes.redeem(viewer=info.context.principal, code=code)
        return RedeemCodeUsePayload(
            errors=[], code=used.code, points_granted=used.points_granted, balance=used.balance
        )
