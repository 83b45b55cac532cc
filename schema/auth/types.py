"""Public users, the private viewer, sessions and tokens."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from resolvers.auth.errors import AuthErrorCode
from resolvers.auth.rows import RefreshSessionRow
from resolvers.principal import Role

strawberry.enum(AuthErrorCode, description="Why an auth mutation was refused.")
strawberry.enum(Role, description="What a caller may do.")


@strawberry.type(description="A signed-in device: one refresh session.")
class AuthSession:
    id: strawberry.ID = strawberry.field(description="Session id; pass it to `authLogout`.")
    current: bool = strawberry.field(description="True for the session making this request.")
    issued_by_provider: str = strawberry.field(
        description="How it signed in: password, phone or wechat."
    )
    client_info: JSON = strawberry.field(description="What the client said about itself.")
    created_at: datetime = strawberry.field(description="Sign-in time.")
    last_seen_at: datetime = strawberry.field(description="Last sign-in or token refresh.")
    expires_at: datetime = strawberry.field(description="When its refresh token expires.")

    @classmethod
    def from_row(cls, row: RefreshSessionRow, *, current_session_id: str | None) -> AuthSession:
        return cls(
            id=strawberry.ID(row.session_id),
            current=row.session_id == current_session_id,
            issued_by_provider=row.issued_by_provider,
            client_info=row.client_info_json,
            created_at=row.created_at,
            last_seen_at=row.last_seen_at,
            expires_at=row.expires_at,
        )


@strawberry.type(description="Credentials to keep: send the access token as `Bearer`.")
class AuthTokens:
    access_token: str = strawberry.field(description="JWT for `Authorization: Bearer …`.")
    access_token_expires_at: datetime = strawberry.field(description="Expiry (15 min default).")
    refresh_token: str = strawberry.field(
        description="Use once with `authRefresh`; 30 days. Reusing an old one ends the session."
    )
    session_id: strawberry.ID = strawberry.field(description="The session these belong to.")


@strawberry.type(name="AuthError", description="Why an auth mutation did nothing.")
class AuthErrorType:
    code: AuthErrorCode = strawberry.field(description="Machine-readable reason.")
    field: str | None = strawberry.field(description="The input field at fault, if any.")
    message: str = strawberry.field(description="Human-readable explanation.")
