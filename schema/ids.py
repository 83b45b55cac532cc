"""Ids on the graph: every argument that names an object takes its global id or its raw id.

Global ids are Relay's: base64 of `<TypeName>:<id>` (`User.id`, `AssetObject.id`,
`AiTask.id`, a `Work`'s `id`, `Viewer.id`). An argument that names an object of a given
type reads its value with `object_id(value, Type)`:
- a value that decodes to `<Type>:<id>` is that object's global id: `<id>` is used;
- one that decodes to `<OtherType>:<id>` is refused (BAD_USER_INPUT): it names another
  kind of object;
- anything else is taken as the raw id (ULIDs never decode: 26 characters are not base64).
"""

from __future__ import annotations

import base64
import binascii
import re

import strawberry
from strawberry.relay.utils import to_base64

from resolvers.errors import BadUserInput

# A GraphQL type name; a decoded prefix of any other shape is not a global id.
_TYPE_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")

# A type of the graph (its class) or its GraphQL name.
NodeType = type | str


def decode_global_id(value: str) -> tuple[str, str] | None:
    """`(type name, id)` when `value` is a global id, otherwise None.

    Strict: only canonical base64 of UTF-8 `<TypeName>:<id>` with a non-empty id counts, so
    that raw ids are not mistaken for global ones. An id holding NUL is refused here: it
    would reach the database (the NUL guard only sees the encoded form).
    """
    try:
        decoded = base64.b64decode(value, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    type_name, colon, node_id = decoded.partition(":")
    if not colon or not node_id or not _TYPE_NAME.fullmatch(type_name):
        return None
    if "\x00" in node_id:
        raise BadUserInput("A global id must not contain NUL characters.")
    return type_name, node_id


def type_name_of(node_type: NodeType) -> str:
    if isinstance(node_type, str):
        return node_type
    return str(node_type.__strawberry_definition__.name)  # type: ignore[attr-defined]


def object_id(value: str, *expected: NodeType) -> str:
    """The raw id named by `value`, a global id of one of the `expected` types or a raw id.

    A global id of any other type is BAD_USER_INPUT. With no expected type (a play type
    without a registered work type), every global id is of another type.
    """
    decoded = decode_global_id(value)
    if decoded is None:
        return value
    type_name, node_id = decoded
    names = [type_name_of(node_type) for node_type in expected]
    if type_name not in names:
        wanted = " or ".join(names) or "this kind of object"
        raise BadUserInput(f"A {type_name} id where {wanted} is expected.")
    return node_id


def optional_object_id(value: str | None, *expected: NodeType) -> str | None:
    """`object_id` for an optional argument: None stays None."""
    return None if value is None else object_id(value, *expected)


def global_id(node_type: NodeType, raw_id: str) -> strawberry.ID:
    """The global id of an object from its type and raw id (what `Node.id` answers)."""
    return strawberry.ID(to_base64(type_name_of(node_type), raw_id))
