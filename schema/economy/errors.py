"""The payload error type of the economy domain."""

from __future__ import annotations

import strawberry

from resolvers.economy.errors import EconomyErrorCode

strawberry.enum(EconomyErrorCode, description="Why an economy mutation was refused.")

ERRORS = "Empty on success; otherwise why nothing was written."


@strawberry.type(name="EconomyError", description="Why an economy mutation did nothing.")
class EconomyErrorType:
    code: EconomyErrorCode = strawberry.field(description="Machine-readable reason.")
    field: str | None = strawberry.field(description="The input field at fault, if any.")
    message: str = strawberry.field(description="Human-readable explanation.")
