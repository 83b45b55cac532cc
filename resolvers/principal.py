"""Who is calling: the principal every resolver receives as `viewer`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from resolvers.errors import Forbidden, NotAuthenticated


class Role(StrEnum):
    ANONYMOUS = "anonymous"
    USER = "user"
    ADMIN = "admin"
    SERVICE = "service"


@dataclass(frozen=True, slots=True)
class Principal:
    """A verified caller. `user_id` is None for anonymous callers and service workers."""

    role: Role
    user_id: str | None = None
    session_id: str | None = None
    token_version: int = 0
    credential_id: str | None = None
    expires_at: datetime | None = None

    @property
    def is_authenticated(self) -> bool:
        return self.role is not Role.ANONYMOUS

    @property
    def is_user(self) -> bool:
        """A signed-in person (user or admin), as opposed to a service worker."""
        return self.user_id is not None

    def require_user(self) -> str:
        """The signed-in user's id, or `NotAuthenticated`."""
        if self.user_id is None:
            raise NotAuthenticated()
        return self.user_id

    def require_admin(self) -> str:
        user_id = self.require_user()
        if self.role is not Role.ADMIN:
            raise Forbidden("Admins only.")
        return user_id

    def require_service(self) -> None:
        if self.role is Role.ANONYMOUS:
            raise NotAuthenticated()
        if self.role is not Role.SERVICE:
            raise Forbidden("Service callers only.")


ANONYMOUS = Principal(role=Role.ANONYMOUS)
