"""The one path from a refused write to its payload.

Resolvers raise a `DomainError` (resolvers.errors) inside the writing transaction, so a
refusal has written nothing. Every mutation that returns a `<Mutation>Payload` carries the
field extension `DomainErrorPayload()`, which turns such an error into that payload:

- `errors`: `error.errors()` (the error itself, or one per publish blocker), each as the
  payload's error type `{code, field, message}`, the code read into that type's code enum;
- `blockers`, when the payload has that field: `error.blockers`, each converted by the
  element type's `from_blocker`;
- fields named by `error.payload_values()` (a run refusal's `current_snapshot_version`):
  those values;
- every other field: its default, else null, else [].

A mutation field is therefore: convert the arguments, call the resolver, convert the
result. Anything that is not a `DomainError` (an `AccessError`, a bug) propagates and becomes
a top-level error (schema/errors.py); so does a `DomainError` whose code the payload's enum
does not have, since that is a bug of the resolver, not a refusal the client can read.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, cast

from strawberry.extensions import FieldExtension
from strawberry.types import Info
from strawberry.types.base import StrawberryList, StrawberryOptional, get_object_definition
from strawberry.types.enum import StrawberryEnumDefinition
from strawberry.types.field import StrawberryField

from resolvers.errors import DomainError


def _code_enum(error_type: type) -> type[Enum]:
    """The Python enum behind the `code` field of a payload error type."""
    for field in get_object_definition(error_type, strict=True).fields:
        if field.python_name == "code" and isinstance(field.type, StrawberryEnumDefinition):
            return cast("type[Enum]", field.type.wrapped_cls)
    raise TypeError(f"{error_type.__name__} has no `code` enum field.")


@dataclass(frozen=True, slots=True)
class PayloadShape:
    """What a refused mutation's payload is made of, read once from the payload type."""

    build_payload: Callable[..., object]
    build_error: Callable[..., object]
    code_enum: type[Enum]
    codes: frozenset[str]
    from_blocker: Callable[[Any], object] | None
    null_fields: tuple[str, ...]
    list_fields: tuple[str, ...]
    field_names: frozenset[str]

    @classmethod
    def of(cls, payload_type: object) -> PayloadShape:
        """The shape of `payload_type`; TypeError (at schema build) when it cannot report a
        refusal: no `errors` list, or a field that is neither defaulted, nullable nor a list."""
        if not isinstance(payload_type, type):
            raise TypeError(f"{payload_type!r} is not a payload type.")
        fields = {
            field.python_name: field
            for field in get_object_definition(payload_type, strict=True).fields
        }
        errors = fields.get("errors")
        if errors is None or not isinstance(errors.type, StrawberryList):
            raise TypeError(f"{payload_type.__name__} has no `errors` list.")
        error_type = errors.type.of_type
        if not isinstance(error_type, type):
            raise TypeError(f"{payload_type.__name__}.errors: not a list of an object type.")
        from_blocker: Callable[[Any], object] | None = None
        null_fields: list[str] = []
        list_fields: list[str] = []
        for init_field in dataclasses.fields(payload_type):
            name = init_field.name
            if name == "errors" or not init_field.init or _has_default(init_field):
                continue
            field_type = fields[name].type if name in fields else None
            if name == "blockers" and isinstance(field_type, StrawberryList):
                from_blocker = getattr(field_type.of_type, "from_blocker", None)
                if from_blocker is None:
                    raise TypeError(f"{payload_type.__name__}.blockers: no `from_blocker`.")
            elif isinstance(field_type, StrawberryOptional):
                null_fields.append(name)
            elif isinstance(field_type, StrawberryList):
                list_fields.append(name)
            else:
                raise TypeError(f"{payload_type.__name__}.{name} cannot be empty on a refusal.")
        code_enum = _code_enum(error_type)
        return cls(
            build_payload=payload_type,
            build_error=error_type,
            code_enum=code_enum,
            codes=frozenset(str(member.value) for member in code_enum),
            from_blocker=from_blocker,
            null_fields=tuple(null_fields),
            list_fields=tuple(list_fields),
            field_names=frozenset(fields) - {"errors"},
        )

    def refusal(self, error: DomainError) -> object | None:
        """The payload reporting `error`, or None when its codes are not this payload's."""
        reported = error.errors()
        if any(str(each.code) not in self.codes for each in reported):
            return None
        values: dict[str, Any] = {
            "errors": [self._error(each) for each in reported],
            **dict.fromkeys(self.null_fields),
            **{name: [] for name in self.list_fields},
        }
        if self.from_blocker is not None:
            values["blockers"] = [self.from_blocker(blocker) for blocker in error.blockers]
        for name, value in error.payload_values().items():
            if name in self.field_names:
                values[name] = value
        return self.build_payload(**values)

    def _error(self, error: DomainError) -> object:
        """One error as the payload's error type; the one place the ten `<Domain>Error`
        GraphQL types are built."""
        return self.build_error(
            code=self.code_enum(error.code), field=error.field, message=error.message
        )


def _has_default(field: dataclasses.Field[Any]) -> bool:
    return (
        field.default is not dataclasses.MISSING or field.default_factory is not dataclasses.MISSING
    )


class DomainErrorPayload(FieldExtension):
    """On a mutation returning a payload: a raised `DomainError` becomes that payload."""

    shape: PayloadShape

    def apply(self, field: StrawberryField) -> None:
        self.shape = PayloadShape.of(field.type)

    def resolve(self, next_: Callable[..., Any], source: Any, info: Info, **kwargs: Any) -> Any:
        try:
            return next_(source, info, **kwargs)
        except DomainError as error:
            return self._reported(error)

    async def resolve_async(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: Info, **kwargs: Any
    ) -> Any:
        try:
            return await next_(source, info, **kwargs)
        except DomainError as error:
            return self._reported(error)

    def _reported(self, error: DomainError) -> object:
        payload = self.shape.refusal(error)
        if payload is None:
            raise error
        return payload
