"""Operator tools: the first admin, role grants and service credentials (see README)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from db.tables.auth import AuthServiceCredential, AuthUserRole, UserAccount
from db.transactions import write_transaction
from resolvers import clock
from resolvers.auth.tokens import issue_service_jwt
from resolvers.auth.users import canonical_username
from resolvers.errors import NotFound
from resolvers.ids import new_id
from resolvers.principal import Role


async def grant_admin(*, username: str, granted_by: str = "cli") -> str:
    """Make the user named `username` an admin (idempotent); returns the user id."""
    user = (
        await UserAccount.select(UserAccount.user_id)
        .where(UserAccount.username == canonical_username(username))
        .first()
    )
    if user is None:
        raise NotFound(f"No user named {username!r}.")
    now = clock.now()
    async with write_transaction():
        await AuthUserRole.insert(
            AuthUserRole(
                user_id=user["user_id"],
                role=Role.ADMIN.value,
                granted_by=granted_by,
                granted_at=now,
            )
        ).on_conflict(
            target=AuthUserRole.user_id,
            action="DO UPDATE",
            values=[AuthUserRole.role, AuthUserRole.granted_by, AuthUserRole.granted_at],
        )
    return str(user["user_id"])


@dataclass(frozen=True, slots=True)
class ServiceToken:
    credential_id: str
    token: str
    expires_at: datetime


async def issue_service_token(*, name: str, days: int) -> ServiceToken:
    """A bearer token for a trusted worker; revoke it with `revoke_service_credential`."""
    credential_id = new_id()
    expires_at = clock.now() + timedelta(days=days)
    await AuthServiceCredential(
        credential_id=credential_id, name=name, expires_at=expires_at, created_at=clock.now()
    ).save()
    token = issue_service_jwt(credential_id=credential_id, expires_at=expires_at)
    return ServiceToken(credential_id=credential_id, token=token, expires_at=expires_at)


async def revoke_service_credential(*, credential_id: str) -> bool:
    rows = (
        await AuthServiceCredential.update({AuthServiceCredential.revoked_at: clock.now()})
        .where(
            (AuthServiceCredential.credential_id == credential_id)
            & AuthServiceCredential.revoked_at.is_null()
        )
        .returning(AuthServiceCredential.credential_id)
    )
    return bool(rows)
