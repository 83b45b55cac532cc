"""Generated object shapers: one straight-line Python function per selection of a type.

For each selected field the function reads the attribute the default resolver reads and,
when the value is a `str`, `bool` or in-range `int` (most of them), stores it as it is:
that is what the scalar's serialiser returns for it. Anything else (null, an enum, a date,
a list, an object, a value still to load) takes `slow`, which defers awaitables and calls
the field's shaper. Generating the code removes a Python call per field and value, the
bulk of the cost of a 50-item page.
"""

from __future__ import annotations

import inspect
import keyword
from collections.abc import Callable
from datetime import datetime
from typing import Any

from graphql import (
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLID,
    GraphQLInt,
    GraphQLNonNull,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLString,
)

Pending = list[tuple[dict[str, Any], str, Any, "Shaper"]]
Shaper = Callable[[Any, Pending], Any]

# Values that are never awaitable: no need to ask.
_PLAIN = frozenset({str, int, bool, float, list, dict, datetime, type(None)})
_FAST = {GraphQLString.name: "str", GraphQLID.name: "str", GraphQLBoolean.name: "bool"}
_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1


class Field:
    """One selected field: its response key, how to read it, how to shape its value."""

    __slots__ = (
        "attribute",
        "code",
        "constant",
        "fast",
        "key",
        "names",
        "read",
        "shaper",
        "stores",
    )

    def __init__(
        self,
        key: str,
        shaper: Shaper,
        *,
        attribute: str | None = None,
        read: Callable[[Any], Any] | None = None,
        gql_type: GraphQLOutputType | None = None,
        constant: str | None = None,
        code: list[str] | None = None,
        stores: bool = False,
    ) -> None:
        self.key = key
        self.shaper = shaper
        self.attribute = attribute
        self.read = read
        self.constant = constant
        # Row shapers (schema/plan/feed.py): lines that set `v` from the row `value` (and
        # `page`), or, when `stores`, that store the field into `out` themselves (`@K`
        # stands for the response key, `@S` for the field's shaper).
        self.code = code
        self.stores = stores
        named = gql_type.of_type if isinstance(gql_type, GraphQLNonNull) else gql_type
        self.fast = None
        if isinstance(named, GraphQLScalarType):
            self.fast = "int" if named.name == GraphQLInt.name else _FAST.get(named.name)
        # An enum's names by value, filled by its shaper (`leaf`), read inline.
        self.names: dict[Any, Any] | None = getattr(shaper, "names", None)


def object_shaper(
    fields: list[Field], *, parameters: str = "value, pending", env: dict[str, Any] | None = None
) -> Shaper:
    """The generated shaper of an object with these fields (None stays None). Row shapers
    take `value, pending, page` and name their helpers in `env`."""
    env = {**(env or {}), "slow": slow}
    lines = [f"def shape({parameters}):", "    if value is None:", "        return None"]
    lines.append("    out = {}")
    for number, field in enumerate(fields):
        key = repr(field.key)
        if field.constant is not None:
            lines.append(f"    out[{key}] = {field.constant!r}")
            continue
        env[f"s{number}"] = field.shaper
        attribute = field.attribute
        if field.code is not None:
            code = [line.replace("@K", key).replace("@S", f"s{number}") for line in field.code]
            lines.extend(f"    {line}" for line in code)
            if field.stores:
                continue
        elif (
            attribute is not None and attribute.isidentifier() and not keyword.iskeyword(attribute)
        ):
            lines.append(f"    v = value.{attribute}")
        else:
            env[f"r{number}"] = field.read
            lines.append(f"    v = r{number}(value)")
        if field.names is not None:
            env[f"n{number}"] = field.names
            lines.append(f"    name = n{number}.get(v)")
            lines.append("    if name is not None:")
            lines.append(f"        out[{key}] = name")
            lines.append("    else:")
            lines.append(f"        slow(out, {key}, v, s{number}, pending)")
            continue
        if field.fast == "int":
            lines.append(f"    if type(v) is int and {_INT_MIN} <= v <= {_INT_MAX}:")
        elif field.fast is not None:
            lines.append(f"    if type(v) is {field.fast}:")
        if field.fast is not None:
            lines.append(f"        out[{key}] = v")
            lines.append("    else:")
            lines.append(f"        slow(out, {key}, v, s{number}, pending)")
        else:
            lines.append(f"    slow(out, {key}, v, s{number}, pending)")
    lines.append("    return out")
    exec("\n".join(lines), env)
    shape: Shaper = env["shape"]
    return shape


def _plain_name(attribute: str | None) -> bool:
    return attribute is not None and attribute.isidentifier() and not keyword.iskeyword(attribute)


def slow(out: dict[str, Any], key: str, value: Any, shaper: Shaper, pending: Pending) -> None:
    """Store a value that is not a plain scalar: shaped now, or deferred when awaitable."""
    if type(value) not in _PLAIN and inspect.isawaitable(value):
        out[key] = None
        pending.append((out, key, value, shaper))
    else:
        out[key] = shaper(value, pending)


def leaf(gql_type: GraphQLScalarType | GraphQLEnumType) -> Shaper:
    """A scalar's or enum's shaper: its serialiser (enums memoised in `names`), null as
    null, and values of the scalar's own Python type (`str`, `bool`, in-range `int`) as
    they are: what the serialiser returns for them."""
    serialize = gql_type.serialize
    if isinstance(gql_type, GraphQLEnumType):
        names: dict[Any, Any] = {}

        def enum(value: Any, pending: Pending) -> Any:
            if value is None:
                return None
            try:
                return names[value]
            except KeyError:
                names[value] = name = serialize(value)
                return name
            except TypeError:  # unhashable
                return serialize(value)

        enum.names = names  # type: ignore[attr-defined]
        return enum
    if gql_type.name == GraphQLInt.name:

        def integer(value: Any, pending: Pending) -> Any:
            if value is None:
                return None
            if type(value) is int and _INT_MIN <= value <= _INT_MAX:
                return value
            return serialize(value)

        return integer
    exact = {"str": str, "bool": bool}.get(_FAST.get(gql_type.name, ""))

    def scalar(value: Any, pending: Pending) -> Any:
        if value is None:
            return None
        if type(value) is exact:
            return value
        return serialize(value)

    return scalar
