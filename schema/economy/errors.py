"""The payload error type of the economy domain."""

from __future__ import annotations

import strawberry

from resolvers.economy.errors import EconomyErrorCode
from resolvers.errors import DomainError

strawberry.enum(EconomyErrorCode, description="Why an economy mutation was refused.")

ERRORS = "Empty on success; otherwise why nothing was written."


@strawberry.type(name="EconomyError", description="Why an economy mutation did nothing.")
class EconomyErrorType:
    code: EconomyErrorCode = strawberry.field(description="Machine-readable reason.")
    field: str | None = strawberry.field(description="The input field at fault, if any.")
    message: str = strawberry.field(description="Human-readable explanation.")

    @classmethod
    def from_error(cls, error: DomainError) -> EconomyErrorType:
        return cls(code=EconomyErrorCode(error.code), field=error.field, message=error.message)
