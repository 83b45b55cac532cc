"""`User`: a person as anyone may see them. Never private fields, never operations tags."""

from __future__ import annotations

from collections.abc import Iterable

import strawberry
from strawberry import relay

from resolvers.auth.public_users import public_users_by_ids
from resolvers.auth.rows import PublicUserRow
from schema.context import Info


@strawberry.type(description="A person as other users see them: never private fields or tags.")
class User(relay.Node):
    user_id: relay.NodeID[str]
    public_user_code: str = strawberry.field(description="Unique public code (百梦号), 9 digits.")
    display_name: str = strawberry.field(description="Name shown to others, 1 to 32 characters.")
    avatar_url: str | None = strawberry.field(description="Avatar image URL, if any.")

    @classmethod
    def from_row(cls, row: PublicUserRow) -> User:
        return cls(
            user_id=row.user_id,
            public_user_code=row.public_user_code,
            display_name=row.display_name,
            avatar_url=row.avatar_url,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[User | None]:
        ids = list(node_ids)
        rows = await public_users_by_ids(ids)
        return [cls.from_row(rows[node_id]) if node_id in rows else None for node_id in ids]
