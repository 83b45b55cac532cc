"""Operations views of users (admins only): the one place `userTags` is exposed."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from resolvers.auth import user_tags
from resolvers.auth.rows import AdminUserRow
from schema.auth.types import AuthErrorType
from schema.context import Info
from schema.mutation_errors import DomainErrorPayload
from schema.permissions import IsAdmin

PUBLIC_CODE = "The user's 9-digit public code (百梦号)."


@strawberry.type(description="A user as operations see them, with their operations tags.")
class AdminUserView:
    user_id: strawberry.ID = strawberry.field(description="Internal user id.")
    public_user_code: str = strawberry.field(description="Public code (百梦号).")
    username: str = strawberry.field(description="Canonical username.")
    display_name: str = strawberry.field(description="Display name.")
    login_method: str = strawberry.field(description="How the account was created.")
    user_tags: list[str] = strawberry.field(
        description="Operations-only labels (never shown to users); [] when none."
    )
    created_at: datetime = strawberry.field(description="Registration time.")

    @classmethod
    def from_row(cls, row: AdminUserRow) -> AdminUserView:
        return cls(
            user_id=strawberry.ID(row.user_id),
            public_user_code=row.public_user_code,
            username=row.username,
            display_name=row.display_name,
            login_method=row.login_method,
            user_tags=list(row.user_tags),
            created_at=row.created_at,
        )


@strawberry.type(description="Result of `adminUserTagsUpdate`.")
class AdminUserTagsUpdatePayload:
    errors: list[AuthErrorType] = strawberry.field(
        description="Empty on success; otherwise why nothing was written."
    )
    user: AdminUserView | None = strawberry.field(description="The user with the new tags.")


@strawberry.type
class AdminUserQuery:
    @strawberry.field(
        description="A user with their operations tags; null for an unknown code. Admins only.",
        permission_classes=[IsAdmin],
    )
    async def admin_user(
        self,
        info: Info,
        public_user_code: Annotated[str, strawberry.argument(description=PUBLIC_CODE)],
    ) -> AdminUserView | None:
        row = await user_tags.admin_user(
            viewer=info.context.principal, public_user_code=public_user_code
        )
        return AdminUserView.from_row(row) if row else None


@strawberry.type
class AdminUserMutation:
    @strawberry.mutation(
        description="Replace a user's operations tags (≤ 20, 1 to 32 characters each: "
        "USER_TAGS_INVALID otherwise; NOT_FOUND for an unknown code). Admins only.",
        permission_classes=[IsAdmin],
        extensions=[DomainErrorPayload()],
    )
    async def admin_user_tags_update(
        self,
        info: Info,
        public_user_code: Annotated[str, strawberry.argument(description=PUBLIC_CODE)],
        user_tags_: Annotated[
            list[str],
            strawberry.argument(name="userTags", description="The complete new list of tags."),
        ],
    ) -> AdminUserTagsUpdatePayload:
        row = await user_tags.set_user_tags(
            viewer=info.context.principal, public_user_code=public_user_code, tags=user_tags_
        )
        return AdminUserTagsUpdatePayload(errors=[], user=AdminUserView.from_row(row))
