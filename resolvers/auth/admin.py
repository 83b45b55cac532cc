"""Operator tools: the first admin, role grants and service credentials (see README)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from db.transactions import write_transaction
from resolvers import clock
from resolvers.auth.store import credentials, users
from resolvers.auth.tokens import issue_service_jwt
from resolvers.auth.users import canonical_username
from resolvers.errors import NotFound
from resolvers.ids import new_id
from resolvers.principal import Role


async def grant_admin(*, username: str, granted_by: str = "cli") -> str:
    """Make the user named `username` an admin (idempotent); returns the user id."""
    user_id = await users.user_id_by_username(canonical_username(username))
    if user_id is None:
        raise NotFound(f"No user named {username!r}.")
    now = clock.now()
    async with write_transaction():
        await credentials.grant_role(
            user_id=user_id, role=Role.ADMIN.value, granted_by=granted_by, now=now
        )
    return user_id


@dataclass(frozen=True, slots=True)
class ServiceToken:
    credential_id: str
    token: str
    expires_at: datetime


async def issue_service_token(*, name: str, days: int) -> ServiceToken:
    """A bearer token for a trusted worker; revoke it with `revoke_service_credential`."""
    credential_id = new_id()
    expires_at = clock.now() + timedelta(days=days)
    await credentials.insert_service_credential(
        credential_id=credential_id, name=name, expires_at=expires_at, created_at=clock.now()
    )
    token = issue_service_jwt(credential_id=credential_id, expires_at=expires_at)
    return ServiceToken(credential_id=credential_id, token=token, expires_at=expires_at)


async def revoke_service_credential(*, credential_id: str) -> bool:
    return await credentials.revoke_service_credential(credential_id=credential_id, now=clock.now())
