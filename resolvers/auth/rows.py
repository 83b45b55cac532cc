"""Typed rows of the auth tables: a user as anyone sees them, the signed-in account, an
account with its operations tags and a refresh session (the schema reads these), and what
sign-in checks read: an access token's check, a service credential, a phone code."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson


def tags_of(value: Any) -> list[str]:
    """Stored tags (a JSON array, a JSON string of one, or NULL read as [])."""
    if isinstance(value, str):
        value = orjson.loads(value)
    return [str(tag) for tag in value] if isinstance(value, list) else []


@dataclass(frozen=True, slots=True)
class PublicUserRow:
    """What anyone may read about a user (`PUBLIC_USER_COLUMNS`)."""

    user_id: str
    public_user_code: str
    display_name: str
    avatar_url: str | None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> PublicUserRow:
        return cls(
            user_id=row["user_id"],
            public_user_code=row["public_user_code"],
            display_name=row["display_name"],
            avatar_url=row["avatar_url"],
        )


@dataclass(frozen=True, slots=True)
class UserAccountRow:
    """A signed-in account (`user_account`; its tags are read by `AdminUserRow` only)."""

    user_id: str
    public_user_code: str
    username: str
    display_name: str
    avatar_url: str | None
    phone_number_masked: str | None
    phone_number_e164: str | None
    login_method: str
    wechat_bound: bool
    token_version: int
    # Kept out of reprs: rows end up in logs and assertion messages.
    password_hash: str = field(repr=False)

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> UserAccountRow:
        return cls(
            user_id=row["user_id"],
            public_user_code=row["public_user_code"],
            username=row["username"],
            display_name=row["display_name"],
            avatar_url=row["avatar_url"],
            phone_number_masked=row["phone_number_masked"],
            phone_number_e164=row["phone_number_e164"],
            login_method=row["login_method"],
            wechat_bound=bool(row["wechat_bound"]),
            token_version=int(row["token_version"]),
            password_hash=row["password_hash"],
        )

    @property
    def public(self) -> PublicUserRow:
        """The account as anyone sees it."""
        return PublicUserRow(
            user_id=self.user_id,
            public_user_code=self.public_user_code,
            display_name=self.display_name,
            avatar_url=self.avatar_url,
        )


@dataclass(frozen=True, slots=True)
class AdminUserRow:
    """An account as operations see it (`ADMIN_USER_COLUMNS`), tags decoded."""

    user_id: str
    public_user_code: str
    username: str
    display_name: str
    login_method: str
    user_tags: list[str]
    created_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> AdminUserRow:
        return cls(
            user_id=row["user_id"],
            public_user_code=row["public_user_code"],
            username=row["username"],
            display_name=row["display_name"],
            login_method=row["login_method"],
            user_tags=tags_of(row["user_tags"]),
            created_at=row["created_at"],
        )


@dataclass(frozen=True, slots=True)
class RefreshSessionRow:
    """A live refresh session (`refresh_session`), its client info decoded."""

    session_id: str
    issued_by_provider: str
    client_info_json: Any
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> RefreshSessionRow:
        return cls(
            session_id=row["session_id"],
            issued_by_provider=row["issued_by_provider"],
            client_info_json=row["client_info_json"],
            created_at=row["created_at"],
            last_seen_at=row["last_seen_at"],
            expires_at=row["expires_at"],
        )


@dataclass(frozen=True, slots=True)
class AccessCheckRow:
    """What an access token is checked against: the user's token version, whether the
    token's session is revoked, and the user's role (None: a plain user)."""

    token_version: int
    session_revoked: bool
    role: str | None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> AccessCheckRow:
        return cls(
            token_version=int(row["token_version"]),
            session_revoked=row["revoked_at"] is not None,
            role=row["role"],
        )


@dataclass(frozen=True, slots=True)
class ServiceCredentialRow:
    """A trusted worker's credential (`auth_service_credential`)."""

    credential_id: str
    expires_at: datetime
    revoked_at: datetime | None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> ServiceCredentialRow:
        return cls(
            credential_id=row["credential_id"],
            expires_at=row["expires_at"],
            revoked_at=row["revoked_at"],
        )


@dataclass(frozen=True, slots=True)
class PhoneCodeRow:
    """A phone's sign-in code (`auth_phone_code`) without its HMAC."""

    phone_e164: str
    attempts_left: int
    expires_at: datetime
    consumed_at: datetime | None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> PhoneCodeRow:
        return cls(
            phone_e164=row["phone_e164"],
            attempts_left=int(row["attempts_left"]),
            expires_at=row["expires_at"],
            consumed_at=row["consumed_at"],
        )
