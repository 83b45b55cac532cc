"""Counting operations for /metrics: a schema extension, outermost of the schema's.

Every operation that reaches the schema (HTTP, SSE, WebSocket) is counted once by
operation label and outcome when it ends (observability/metrics.py has the label rule);
queries and mutations also observe their latency. A running subscription is in the
`subscriptions_active` gauge of its root field from the moment it subscribes until it
ends. Requests refused before the schema saw them (a malformed body, a subscription over
plain HTTP, …) are counted by the view (schema/view.py) as `other` / `request_error`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from graphql import (
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    get_operation_ast,
)
from strawberry.exceptions import MissingQueryError
from strawberry.extensions import SchemaExtension
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from observability import metrics

META_FIELDS = frozenset({"__schema", "__type"})


class OperationMetrics(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        self.subscription = False
        self.subscribed: str | None = None
        try:
            yield
        except (MissingQueryError, CannotGetOperationTypeError, InvalidOperationTypeError):
            # Raised through to the transport, which answers (and counts) them itself.
            self._leave_subscription()
            raise
        except GraphQLError:  # raised by an extension before execution (ParserCache, limits)
            self._leave_subscription()
            metrics.record_request(metrics.OTHER, metrics.REQUEST_ERROR, None)
            raise
        except Exception:
            self._leave_subscription()
            metrics.record_request(self._label(), metrics.INTERNAL_ERROR, None)
            raise
        except BaseException:  # cancelled or closed: the client went away (or completed)
            self._leave_subscription()
            metrics.record_request(self._label(), self._outcome(), None)
            raise
        self._leave_subscription()
        seconds = None if self.subscription else time.perf_counter() - started
        metrics.record_request(self._label(), self._outcome(), seconds)

    def on_execute(self) -> Iterator[None]:
        # Reached only by operations that parsed and validated.
        context = self.execution_context
        if context.operation_type is OperationType.SUBSCRIPTION:
            self.subscription = True
            self.subscribed = self._label()
            metrics.SUBSCRIPTIONS_ACTIVE.labels(self.subscribed).inc()
        yield

    def _leave_subscription(self) -> None:
        if self.subscribed is not None:
            metrics.SUBSCRIPTIONS_ACTIVE.labels(self.subscribed).dec()
            self.subscribed = None

    def _label(self) -> str:
        context = self.execution_context
        document = context.graphql_document
        if document is None:
            return metrics.OTHER
        operation = get_operation_ast(document, context.operation_name)
        if operation is None:
            return metrics.OTHER
        return operation_label(operation, context.schema._schema)

    def _outcome(self) -> str:
        context = self.execution_context
        result = context.result
        errors: list[GraphQLError] = list(
            (result.errors if result is not None else None) or context.pre_execution_errors or []
        )
        if not errors:
            return metrics.OK
        if any(
            (error.extensions or {}).get("code") in (None, "INTERNAL_SERVER_ERROR")
            for error in errors
        ):
            return metrics.INTERNAL_ERROR
        if (result is None or result.data is None) and all(not error.path for error in errors):
            return metrics.REQUEST_ERROR
        return metrics.GRAPHQL_ERROR


def operation_label(operation: OperationDefinitionNode, schema: GraphQLSchema) -> str:
    """The root field the operation selects, if it selects exactly one (aliases and
    `__typename` aside) and the schema's root type has it; `introspection` for `__schema` /
    `__type` alone; else `other`."""
    names: set[str] = set()
    for selection in operation.selection_set.selections:
        if not isinstance(selection, FieldNode):
            return metrics.OTHER  # a fragment at the root: not worth resolving here
        if selection.name.value != "__typename":
            names.add(selection.name.value)
    if len(names) != 1:
        return metrics.INTROSPECTION if names and names <= META_FIELDS else metrics.OTHER
    (name,) = names
    if name in META_FIELDS:
        return metrics.INTROSPECTION
    root = schema.get_root_type(operation.operation)
    return name if root is not None and name in root.fields else metrics.OTHER
