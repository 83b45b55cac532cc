"""Permission classes for fields: who may resolve them.

They raise `AccessError`s (instances are shared across requests, so no per-call state);
the error policy turns those into UNAUTHENTICATED / FORBIDDEN top-level errors.
"""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission

from resolvers.errors import Forbidden, NotAuthenticated
from resolvers.principal import Role
from schema.context import Info


def _refuse_anonymous(info: Info) -> None:
    if not info.context.principal.is_authenticated:
        reason = info.context.token_error
        raise NotAuthenticated(f"Sign in again: {reason}." if reason else None)


class IsAuthenticated(BasePermission):
    """A signed-in user (or admin); anonymous callers and service workers are refused."""

    message = "Sign in to see this."

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        _refuse_anonymous(info)
        if not info.context.principal.is_user:
            raise Forbidden("Service callers cannot act as a user.")
        return True


class IsAdmin(BasePermission):
    """An admin; anonymous callers get UNAUTHENTICATED, everyone else FORBIDDEN."""

    message = "Admins only."

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        _refuse_anonymous(info)
        if info.context.principal.role is not Role.ADMIN:
            raise Forbidden("Admins only.")
        return True


class IsService(BasePermission):
    """A trusted worker holding a service token."""

    message = "Service callers only."

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        _refuse_anonymous(info)
        if info.context.principal.role is not Role.SERVICE:
            raise Forbidden("Service callers only.")
        return True
