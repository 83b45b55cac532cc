"""Migration operators: the users listed in `database_migration_operator` may export and
import the platform's data; everyone else is refused (FORBIDDEN, or UNAUTHENTICATED when
not signed in)."""

from __future__ import annotations

from resolvers.auth.users import canonical_username
from resolvers.errors import Forbidden, NotFound
from resolvers.migration.rows import Operator
from resolvers.migration.store import operators as store
from resolvers.principal import Principal


async def is_operator(user_id: str) -> bool:
    return await store.is_listed(user_id)


async def require_operator(viewer: Principal) -> str:
    """The operator's user id; UNAUTHENTICATED when anonymous, FORBIDDEN for anyone (admins
    included) who is not listed."""
    user_id = viewer.require_user()
    if not await is_operator(user_id):
        raise Forbidden("Only migration operators may export or import data.")
    return user_id


async def _user_id(username: str) -> str:
    user_id = await store.user_id_named(canonical_username(username))
    if user_id is None:
        raise NotFound(f"No user named {username!r}.")
    return user_id


async def add_operator(*, username: str, created_by: str = "cli", note: str = "") -> str:
    """List the user named `username` as an operator (idempotent); returns the user id."""
    user_id = await _user_id(username)
    await store.insert_operator(user_id=user_id, created_by=created_by, note=note)
    return user_id


async def remove_operator(*, username: str) -> bool:
    """Take the user named `username` off the list; False when it was not on it."""
    return await store.delete_operator(await _user_id(username))


async def list_operators() -> list[Operator]:
    return await store.operators()
