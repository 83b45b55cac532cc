"""Invites on the graph: the viewer's code and referrals, admin-preset codes (admins)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from resolvers.economy import invites, model
from resolvers.economy.invites import AdminInviteCodeInput
from resolvers.economy.model import InviteCode
from schema.auth.user import User
from schema.context import Info
from schema.economy.errors import ERRORS, EconomyErrorType
from schema.mutation_errors import DomainErrorPayload
from schema.permissions import IsAdmin
from schema.relay import Connection


@strawberry.type(description="The viewer's own invite code.")
class ViewerInviteCode:
    invite_code: str = strawberry.field(
        description="Share it: a new user registering with it binds to you; both get points."
    )
    invited_count: int = strawberry.field(description="Users who registered with it.")


@strawberry.type(description="A user the viewer invited.")
class Referral:
    invitee: Annotated[User, strawberry.lazy("schema.auth.types")] | None = strawberry.field(
        description="The invited user, as anyone sees them."
    )
    invite_code: str = strawberry.field(description="The code they registered with.")
    bound_at: datetime = strawberry.field(description="When they registered.")
    inviter_reward_granted: bool = strawberry.field(description="Whether you were rewarded.")
    invitee_reward_granted: bool = strawberry.field(description="Whether they were rewarded.")

    @classmethod
    def from_referral(cls, referral: model.Referral) -> Referral:
        user = referral.invitee
        return cls(
            invitee=User(
                user_id=user.user_id,
                public_user_code=user.public_user_code,
                display_name=user.display_name,
                avatar_url=user.avatar_url,
            )
            if user
            else None,
            invite_code=referral.invite_code,
            bound_at=referral.bound_at,
            inviter_reward_granted=referral.inviter_reward_granted,
            invitee_reward_granted=referral.invitee_reward_granted,
        )


@strawberry.type(description="An admin-preset invite code (operations only).")
class AdminInviteCode:
    invite_code: str = strawberry.field(description="The code.")
    owner_id: str = strawberry.field(description="`admin:{code}`.")
    starts_at: datetime | None = strawberry.field(description="Valid from (null: at once).")
    expires_at: datetime | None = strawberry.field(description="Valid until (null: forever).")
    user_tags: list[str] = strawberry.field(
        description="Operations tags merged into the tags of users registering with it."
    )
    created_at: datetime = strawberry.field(description="Creation time.")
    updated_at: datetime = strawberry.field(description="Last change.")

    @classmethod
    def from_code(cls, code: InviteCode) -> AdminInviteCode:
        return cls(
            invite_code=code.invite_code,
            owner_id=code.user_id,
            starts_at=code.starts_at,
            expires_at=code.expires_at,
            user_tags=list(code.user_tags),
            created_at=code.created_at,
            updated_at=code.updated_at,
        )


@strawberry.input(description="An admin-preset invite code to create or change (by code).")
class AdminInviteCodeUpsertInput:
    invite_code: str = strawberry.field(description="4 to 32 letters or digits (any case).")
    starts_at: datetime | None = strawberry.field(
        default=None, description="Valid from; null: at once."
    )
    expires_at: datetime | None = strawberry.field(
        default=None, description="Valid until (excluded); null: forever."
    )
    user_tags: list[str] = strawberry.field(
        default_factory=list,
        description="Tags for users registering with it (≤ 20, 1 to 32 characters each).",
    )


@strawberry.type(description="Result of `adminInviteCodeUpsert`.")
class AdminInviteCodeUpsertPayload:
    errors: list[EconomyErrorType] = strawberry.field(description=ERRORS)
    invite_code: AdminInviteCode | None = strawberry.field(description="The code, on success.")


@strawberry.type
class InviteQuery:
    @strawberry.field(
        description="Admin-preset invite codes only (never users' own), most recently "
        "changed first. Admins only.",
        permission_classes=[IsAdmin],
    )
    async def admin_invite_codes(
        self,
        info: Info,
        first: Annotated[
            int | None, strawberry.argument(description="Page size, 1 to 100 (default 20).")
        ] = None,
        after: Annotated[
            str | None, strawberry.argument(description="`endCursor` of the previous page.")
        ] = None,
    ) -> Connection[AdminInviteCode]:
        page = await invites.admin_invite_codes(
            viewer=info.context.principal, first=first, after=after
        )
        return Connection[AdminInviteCode].from_page(page, AdminInviteCode.from_code)


@strawberry.type
class InviteMutation:
    @strawberry.mutation(
        description="Create or change an admin-preset invite code. Admins only.",
        permission_classes=[IsAdmin],
        extensions=[DomainErrorPayload()],
    )
    async def admin_invite_code_upsert(
        self,
        info: Info,
        input: Annotated[AdminInviteCodeUpsertInput, strawberry.argument(description="The code.")],
    ) -> AdminInviteCodeUpsertPayload:
        row = await invites.upsert_admin_invite_code(
            viewer=info.context.principal,
            code=AdminInviteCodeInput(
                invite_code=input.invite_code,
                starts_at=input.starts_at,
                expires_at=input.expires_at,
                user_tags=tuple(input.user_tags),
            ),
        )
        return AdminInviteCodeUpsertPayload(errors=[], invite_code=AdminInviteCode.from_code(row))
