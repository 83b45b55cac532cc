"""Strawberry's OpenTelemetry extension, without the callers' secrets in the spans.

Strawberry's `OpenTelemetryExtension` records an operation span (`GraphQL Query: <name>`)
with parsing, validation and one span per resolver. As shipped it also records the whole
document (`query`) and every argument's value (`graphql.param.<name>`), which would send
passwords, phone codes and tokens to the trace backend (`authLogin(input: {password:
"…"})`). Here string literals of the document are blanked, and arguments are recorded by
name only.
"""

from __future__ import annotations

import re
from collections.abc import Generator
from typing import Any

from graphql import GraphQLResolveInfo
from strawberry.extensions import LifecycleStep
from strawberry.extensions.tracing import OpenTelemetryExtension

# Block strings first ("""…"""), then ordinary strings with their escapes.
_STRING_LITERAL = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|"(?:[^"\\\n]|\\.)*"')
REDACTED = '"…"'


def redact_literals(document: str) -> str:
    """The document with every string literal replaced by `"…"`."""
    return _STRING_LITERAL.sub(REDACTED, document)


def argument_names(arguments: dict[str, Any], info: GraphQLResolveInfo[Any]) -> dict[str, Any]:
    """The `arg_filter` of the extension: names are kept, values never leave."""
    return dict.fromkeys(arguments, "…")


class GraphQLTracing(OpenTelemetryExtension):
    def __init__(self, **options: Any) -> None:
        super().__init__(arg_filter=argument_names, **options)

    def on_operation(self) -> Generator[None, None, None]:
        steps = super().on_operation()
        next(steps)  # the operation span starts, with the raw document as `query`
        span = self._span_holder[LifecycleStep.OPERATION]
        span.set_attribute("query", redact_literals(self.execution_context.query or ""))
        yield
        # Known once the document is parsed when the client named no operation.
        name = self.execution_context.operation_name
        if name:
            span.set_attribute("graphql.operation.name", name)
        for _ in steps:  # the rest: the span's final name, and its end
            pass
