"""Statements on roles (`auth_user_role`) and service credentials
(`auth_service_credential`)."""

from __future__ import annotations

from datetime import datetime

from db.tables.auth import AuthServiceCredential, AuthUserRole
from resolvers.auth.rows import ServiceCredentialRow


async def grant_role(*, user_id: str, role: str, granted_by: str, now: datetime) -> None:
    """Set the user's role (the one row per user is replaced)."""
    await AuthUserRole.insert(
        AuthUserRole(user_id=user_id, role=role, granted_by=granted_by, granted_at=now)
    ).on_conflict(
        target=AuthUserRole.user_id,
        action="DO UPDATE",
        values=[AuthUserRole.role, AuthUserRole.granted_by, AuthUserRole.granted_at],
    )


async def insert_service_credential(
    *, credential_id: str, name: str, expires_at: datetime, created_at: datetime
) -> None:
    """A new service credential."""
    await AuthServiceCredential(
        credential_id=credential_id, name=name, expires_at=expires_at, created_at=created_at
    ).save()


async def service_credential(credential_id: str) -> ServiceCredentialRow | None:
    """The service credential with this id."""
    row = (
        await AuthServiceCredential.select()
        .where(AuthServiceCredential.credential_id == credential_id)
        .first()
    )
    return ServiceCredentialRow.from_row(row) if row is not None else None


async def revoke_service_credential(*, credential_id: str, now: datetime) -> bool:
    """Revoke the credential unless it already is; False when it was (or is unknown)."""
    rows = (
        await AuthServiceCredential.update({AuthServiceCredential.revoked_at: now})
        .where(
            (AuthServiceCredential.credential_id == credential_id)
            & AuthServiceCredential.revoked_at.is_null()
        )
        .returning(AuthServiceCredential.credential_id)
    )
    return bool(rows)
