"""Auth queries: the viewer and public users."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.auth.public_users import public_user_by_code
from resolvers.auth.users import get_user
from resolvers.errors import NotAuthenticated
from schema.auth.user import User
from schema.auth.viewer import Viewer
from schema.context import Info
from schema.permissions import IsAuthenticated


@strawberry.type
class AuthQuery:
    @strawberry.field(
        description="The signed-in user with everything private to them. "
        "UNAUTHENTICATED without a valid token.",
        permission_classes=[IsAuthenticated],
    )
    async def viewer(self, info: Info) -> Viewer | None:
        principal = info.context.principal
        row = await get_user(principal.require_user())
        if row is None:
            raise NotAuthenticated()
        return Viewer(row=row, principal=principal)

    @strawberry.field(description="A user by public code (百梦号); null when there is none.")
    async def user(
        self,
        public_user_code: Annotated[
            str, strawberry.argument(description="The 9-digit public code.")
        ],
    ) -> User | None:
        row = await public_user_by_code(public_user_code)
        return User.from_row(row) if row else None
