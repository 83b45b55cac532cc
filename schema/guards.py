"""Guards at the edge: input no resolver should ever see is refused before execution.

- NUL (U+0000) in any string input: PostgreSQL cannot store it in text (SQLite can), so
  the same input would fail on one engine and not the other. It is refused with
  BAD_USER_INPUT before anything executes, whatever carries it: a string literal of the
  document (arguments, input-object fields, list elements) or a variable, at any depth
  (JSON scalars' keys too). It runs for queries, mutations and subscriptions, over HTTP
  and WebSocket alike (`ValidationCacheWithNulGuard`).
- Deeply nested request JSON: the stdlib decoder recurses once per level and would raise
  RecursionError (a bare 500). `decode_request_json` refuses JSON nested deeper than
  `MAX_JSON_DEPTH` levels (settings.py) before decoding it; the HTTP view answers 400.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from graphql import BREAK, DocumentNode, GraphQLError, StringValueNode, Visitor, visit
from strawberry.extensions import ValidationCache
from strawberry.types.execution import ExecutionContext

NUL = "\x00"
NUL_MESSAGE = "holds a NUL character (U+0000), which no string input may contain."


class ValidationCacheWithNulGuard(ValidationCache):
    """Strawberry's cached validation, then the NUL guard: an operation whose string
    literals or variables hold NUL is refused with BAD_USER_INPUT.

    One extension rather than two: each extension costs every request an instance and its
    hooks. A valid document is checked, so an invalid one still reports its validation
    errors; a refused one is reported like them (a request error with no data over HTTP, an
    `error` message over WebSocket).
    """

    def on_validate(self) -> Iterator[None]:
        validation = super().on_validate()
        next(validation)  # the cached validation (it sets pre_execution_errors), up to its yield
        refuse_nul(self.execution_context)
        yield
        next(validation, None)


def refuse_nul(context: ExecutionContext) -> None:
    """Set the operation's errors to BAD_USER_INPUT when a string input holds NUL."""
    if not context.pre_execution_errors:
        error = _variable_error(context.variables) or _literal_error(
            context.query, context.graphql_document
        )
        if error is not None:
            context.pre_execution_errors = [error]


def _variable_error(variables: dict[str, Any] | None) -> GraphQLError | None:
    # Variables that are not an object (a WebSocket client may send anything) bind no
    # variable: they are left to the executor.
    if not isinstance(variables, dict):
        return None
    for name, value in variables.items():
        if holds_nul(value):
            return GraphQLError(
                f"Variable '${name}' {NUL_MESSAGE}", extensions={"code": "BAD_USER_INPUT"}
            )
    return None


def _literal_error(query: str | None, document: DocumentNode | None) -> GraphQLError | None:
    # A literal can only hold NUL through an escape (`\u0000`, `\u{0}`) or a raw NUL in the
    # text: without either, the document needs no walk (the common case, two C scans).
    if document is None or (query is not None and "\\u" not in query and NUL not in query):
        return None
    finder = _NulLiteralFinder()
    visit(document, finder)
    if finder.found is None:
        return None
    return GraphQLError(
        f"A string literal {NUL_MESSAGE}",
        nodes=[finder.found],
        extensions={"code": "BAD_USER_INPUT"},
    )


class _NulLiteralFinder(Visitor):
    found: StringValueNode | None = None

    def enter_string_value(self, node: StringValueNode, *_: object) -> object:
        if NUL in node.value:
            self.found = node
            return BREAK
        return None


def holds_nul(value: object) -> bool:
    """Whether a decoded JSON value holds NUL in any string (keys included), at any depth."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if NUL in item:
                return True
        elif isinstance(item, dict):
            for key, nested in item.items():
                if isinstance(key, str) and NUL in key:
                    return True
                pending.append(nested)
        elif isinstance(item, list | tuple):
            pending.extend(item)
    return False


class JsonTooDeep(json.JSONDecodeError):
    """Request JSON nested deeper than allowed. A JSONDecodeError, so that every caller of
    the view's `decode_json` treats it as unparseable JSON (WebSocket: closed with 4400)."""

    def __init__(self, max_depth: int, document: str, position: int) -> None:
        super().__init__(f"JSON nested deeper than {max_depth} levels", document, position)
        self.max_depth = max_depth


# A JSON string (its brackets do not nest anything) or a bracket; the unrolled string
# pattern stays linear on long strings.
_TOKENS_STR = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)
_TOKENS_BYTES = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)
_OPENERS = frozenset("[{") | frozenset(b"[{")
_CLOSERS = frozenset("]}") | frozenset(b"]}")


def decode_request_json(data: str | bytes, *, max_depth: int) -> object:
    """`json.loads(data)`, refusing JSON nested deeper than `max_depth` (JsonTooDeep)."""
    check_json_depth(data, max_depth=max_depth)
    return json.loads(data)


def check_json_depth(data: str | bytes, *, max_depth: int) -> None:
    """Raise JsonTooDeep when `data` opens more than `max_depth` nested arrays or objects.

    Bodies with few brackets in all (nearly every request) are settled by counting them; the
    others are scanned once, strings skipped, and the scan stops at the first level too
    deep. Malformed JSON is left to the decoder.
    """
    tokens: Iterator[re.Match[Any]]
    if isinstance(data, str):
        if data.count("[") + data.count("{") <= max_depth:
            return
        tokens = _TOKENS_STR.finditer(data)
    else:
        if data.count(b"[") + data.count(b"{") <= max_depth:
            return
        tokens = _TOKENS_BYTES.finditer(data)
    depth = 0
    for token in tokens:
        first = token.group()[0]
        if first in _OPENERS:
            depth += 1
            if depth > max_depth:
                document = data if isinstance(data, str) else data.decode(errors="replace")
                raise JsonTooDeep(max_depth, document, token.start())
        elif first in _CLOSERS:
            depth -= 1
