"""Turning a bearer token into a principal, checked against the database."""

from __future__ import annotations

from db.tables.auth import AuthServiceCredential, UserAccount
from resolvers import clock
from resolvers.auth.tokens import ACCESS, InvalidToken, decode_token
from resolvers.principal import Principal, Role


async def principal_from_token(token: str) -> Principal:
    """Verify `token` and return its principal; raise `InvalidToken` when it must be refused.

    An access token is refused once its user's `token_version` moved on (logout-all) or its
    session was revoked (logout, refresh-token reuse); one query checks both and the role.
    A service token is refused once its credential is revoked.
    """
    claims = decode_token(token)
    if claims.kind == ACCESS:
        # Raw: LEFT JOINs to the session and the role (no foreign keys declared).
        rows = await UserAccount.raw(
            "SELECT u.token_version, s.revoked_at, r.role FROM user_account u "
            "LEFT JOIN refresh_session s ON s.session_id = {} AND s.user_id = u.user_id "
            "LEFT JOIN auth_user_role r ON r.user_id = u.user_id "
            "WHERE u.user_id = {}",
            claims.session_id,
            claims.subject,
        )
        if not rows:
            raise InvalidToken("unknown user")
        row = rows[0]
        if int(row["token_version"]) != claims.token_version:
            raise InvalidToken("token version revoked")
        if claims.session_id is None or row["revoked_at"] is not None:
            raise InvalidToken("session revoked")
        role = Role.ADMIN if row["role"] == Role.ADMIN.value else Role.USER
        return Principal(
            role=role,
            user_id=claims.subject,
            session_id=claims.session_id,
            token_version=claims.token_version,
            expires_at=claims.expires_at,
        )
    credential = (
        await AuthServiceCredential.select()
        .where(AuthServiceCredential.credential_id == claims.subject)
        .first()
    )
    if credential is None or credential["revoked_at"] is not None:
        raise InvalidToken("service credential revoked")
    if credential["expires_at"] <= clock.now():
        raise InvalidToken("service credential expired")
    return Principal(role=Role.SERVICE, credential_id=claims.subject, expires_at=claims.expires_at)
