"""One operation of an HTTP request, answered by its compiled plan, from the
public-response cache, or executed; Strawberry's execution errors that mean a malformed
request become HTTP errors (the view's `execute_request` and the early answer end here)."""

from __future__ import annotations

from typing import Any

from cross_web import HTTPException
from starlette.requests import Request
from strawberry.exceptions import MissingQueryError
from strawberry.http.types import HTTPMethod
from strawberry.schema import BaseSchema
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.execution import ExecutionResult
from strawberry.types.graphql import OperationType

from schema.context import Context
from schema.http_rules import SUBSCRIPTION_NEEDS_SSE
from schema.plan.fast_path import FastPath
from schema.public_cache import PublicCache


async def execute_http_operation(
    schema: BaseSchema,
    fast_path: FastPath | None,
    public_cache: PublicCache | None,
    request: Request,
    method: HTTPMethod,
    query: str | None,
    variables: dict[str, Any] | None,
    operation_name: str | None,
    extensions: dict[str, Any] | None,
    context: Context,
) -> ExecutionResult:
    """The operation's result, or an HTTPException for a request that cannot carry it."""
    allowed = OperationType.from_http(method) - {OperationType.SUBSCRIPTION}

    async def run() -> ExecutionResult:
        # A compiled plan answers a validated public query it covers (schema/plan/);
        # anything else executes, and a successful execution can be planned next time.
        if fast_path is not None:
            planned = await fast_path.execute(query, operation_name, variables, context)
            if planned is not None:
                return planned
        result = await schema.execute(
            query,
            variable_values=variables,
            context_value=context,
            operation_name=operation_name,
            allowed_operation_types=allowed,
            operation_extensions=extensions,
        )
        if fast_path is not None:
            fast_path.learn(query, operation_name, result)
        return result

    try:
        # Anonymous (no Authorization header at all): the public-response cache may
        # answer (schema/public_cache.py); a signed-in request never reads nor fills it.
        if public_cache is not None and "authorization" not in request.headers:
            return await public_cache.execute(query, variables, operation_name, run)
        return await run()
    except InvalidOperationTypeError as error:
        # A plain HTTP request (no `text/event-stream` in Accept) cannot carry a
        # subscription: 406 with a message saying how, instead of executing it.
        if error.operation_type is OperationType.SUBSCRIPTION:
            raise HTTPException(406, SUBSCRIPTION_NEEDS_SSE) from None
        raise HTTPException(400, error.as_http_error_reason(method)) from error
    except CannotGetOperationTypeError as error:
        raise HTTPException(400, error.as_http_error_reason()) from error
    except MissingQueryError as error:
        raise HTTPException(400, "No GraphQL query found in the request") from error
