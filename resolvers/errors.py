"""The error model shared by every domain.

- `DomainError` subclasses (`AuthError`, `WalletError`, …) are expected failures: the schema
  turns them into payload errors `{code, field, message}`, and since they are raised inside
  the writing transaction, nothing was written.
- `AccessError` subclasses become top-level GraphQL errors with `extensions.code`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the gates' module imports the assets domain, which imports this one
    from resolvers.play_types.gates import Blocker


class DomainError(Exception):
    """An expected failure of a write: a code from the domain's enum, a field, a message."""

    # What a publish gate found; a payload with a `blockers` field lists them
    # (schema/mutation_errors.py). Only blocked publishes have any.
    blockers: Sequence[Blocker] = ()

    def __init__(self, code: StrEnum, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    def errors(self) -> Sequence[DomainError]:
        """The errors a payload reports for this failure: itself, unless a subclass splits
        it (a blocked world publish reports one error per blocker)."""
        return [self]

    def payload_values(self) -> Mapping[str, Any]:
        """Values for fields of the refusal's payload besides `errors` (Python names; a
        payload without such a field ignores it): a run refusal's current snapshot version.
        Default: none."""
        return {}


class AccessError(Exception):
    """A refusal that is not the caller's data: reported as a top-level error."""

    code = "INTERNAL"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default_message)

    default_message = "Refused."


class NotAuthenticated(AccessError):
    code = "UNAUTHENTICATED"
    default_message = "Sign in to do this."


class Forbidden(AccessError):
    code = "FORBIDDEN"
    default_message = "You are not allowed to do this."


class NotFound(AccessError):
    code = "NOT_FOUND"
    default_message = "Not found."


class BadUserInput(AccessError):
    code = "BAD_USER_INPUT"
    default_message = "Invalid input."
