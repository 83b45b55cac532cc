"""Turning a bearer token into a principal, checked against the database."""

from __future__ import annotations

from resolvers import clock
from resolvers.auth.store import credentials, sessions
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
        row = await sessions.access_check(user_id=claims.subject, session_id=claims.session_id)
        if row is None:
            raise InvalidToken("unknown user")
        if row.token_version != claims.token_version:
            raise InvalidToken("token version revoked")
        if claims.session_id is None or row.session_revoked:
            raise InvalidToken("session revoked")
        role = Role.ADMIN if row.role == Role.ADMIN.value else Role.USER
        return Principal(
            role=role,
            user_id=claims.subject,
            session_id=claims.session_id,
            token_version=claims.token_version,
            expires_at=claims.expires_at,
        )
    credential = await credentials.service_credential(claims.subject)
    if credential is None or credential.revoked_at is not None:
        raise InvalidToken("service credential revoked")
    if credential.expires_at <= clock.now():
        raise InvalidToken("service credential expired")
    return Principal(role=Role.SERVICE, credential_id=claims.subject, expires_at=claims.expires_at)
