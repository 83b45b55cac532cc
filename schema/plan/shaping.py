"""Compiling a selection set into a function that shapes Strawberry objects into JSON.

A shaper reads the attributes the default resolver would read and serialises leaves with
the schema's own scalar and enum serialisers, so its output is the normal executor's,
key for key. A value still to be loaded (a `Deferred`, a dataloader call) is left as a
placeholder and recorded in `pending`; `settle` awaits them all at once (so dataloaders
batch them) and shapes the results in place. Whatever a shaper cannot serve the same way
raises `Unplannable`, at compile time or at run time, and the operation takes the normal
executor instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    SelectionSetNode,
)
from strawberry.relay.utils import to_base64

from schema.plan.allowlist import PLAN_COMPUTED, allowed
from schema.plan.objects import Field, Pending, Shaper, leaf, object_shaper


class Unplannable(Exception):
    """The plan cannot serve this (operation, or value) exactly as the executor would."""


class Compiler:
    """Compiles the selections of one operation (its fragments) against the schema."""

    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self.schema = schema
        self.fragments = fragments
        work = schema.get_type("Work")
        self.work = work if isinstance(work, GraphQLInterfaceType) else None

    def collect(
        self, runtime_type: GraphQLObjectType, selection_sets: list[SelectionSetNode]
    ) -> dict[str, list[FieldNode]]:
        """Response key -> its field nodes, in order, for `runtime_type`. Directives
        (`@skip`, `@include`, …) are not planned."""
        fields: dict[str, list[FieldNode]] = {}
        for selection_set in selection_sets:
            self._collect(runtime_type, selection_set, fields, set())
        return fields

    def _collect(
        self,
        runtime_type: GraphQLObjectType,
        selection_set: SelectionSetNode,
        fields: dict[str, list[FieldNode]],
        visited: set[str],
    ) -> None:
        for selection in selection_set.selections:
            if selection.directives:
                raise Unplannable("directives")
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                fields.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                if condition is None or self._applies(condition.name.value, runtime_type):
                    self._collect(runtime_type, selection.selection_set, fields, visited)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in visited:
                    continue
                visited.add(name)
                if self._applies(fragment.type_condition.name.value, runtime_type):
                    self._collect(runtime_type, fragment.selection_set, fields, visited)

    def _applies(self, condition: str, runtime_type: GraphQLObjectType) -> bool:
        if condition == runtime_type.name:
            return True
        named = self.schema.get_type(condition)
        if isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
            return self.schema.is_sub_type(named, runtime_type)
        return False

    def output(self, gql_type: GraphQLOutputType, nodes: list[FieldNode]) -> Shaper:
        """The shaper of a value of `gql_type` selected by `nodes`."""
        if isinstance(gql_type, GraphQLNonNull):
            return _non_null(self.output(gql_type.of_type, nodes))
        if isinstance(gql_type, GraphQLList) and isinstance(gql_type.of_type, GraphQLNonNull):
            return _listed_non_null(self.output(gql_type.of_type.of_type, nodes))
        if isinstance(gql_type, GraphQLList):
            return _listed(self.output(gql_type.of_type, nodes))
        if isinstance(gql_type, GraphQLScalarType | GraphQLEnumType):
            return leaf(gql_type)
        selection_sets = [node.selection_set for node in nodes if node.selection_set]
        if isinstance(gql_type, GraphQLObjectType):
            return self._object(gql_type, selection_sets)
        if isinstance(gql_type, GraphQLInterfaceType | GraphQLUnionType):
            return _abstract(
                {
                    possible.name: self._object(possible, selection_sets)
                    for possible in self.schema.get_possible_types(gql_type)
                }
            )
        raise Unplannable(f"type {gql_type}")

    def _object(
        self, gql_type: GraphQLObjectType, selection_sets: list[SelectionSetNode]
    ) -> Shaper:
        name = gql_type.name
        is_work = self.work is not None and self.work in gql_type.interfaces
        fields: list[Field] = []
        for key, nodes in self.collect(gql_type, selection_sets).items():
            field_name = nodes[0].name.value
            if field_name == "__typename":
                fields.append(Field(key, _identity, constant=name))
                continue
            field = gql_type.fields.get(field_name)
            if field is None or any(node.arguments for node in nodes):
                raise Unplannable(f"{name}.{field_name}")
            if not allowed(name, field_name, is_work=is_work):
                raise Unplannable(f"{name}.{field_name} is not in the allow-list")
            shaper = self.output(field.type, nodes)
            read = _reader(name, field_name, field)
            if isinstance(read, str):
                fields.append(Field(key, shaper, attribute=read, gql_type=field.type))
            else:
                fields.append(Field(key, shaper, read=read, gql_type=field.type))
        return object_shaper(fields)


def _reader(type_name: str, field_name: str, field: Any) -> str | Callable[[Any], Any]:
    """How the plan reads a field's value from its object, as the executor would: the
    attribute the default resolver reads, or the plan's twin of a `PLAN_COMPUTED` one."""
    definition = field.extensions.get("strawberry-definition")
    if definition is None:
        raise Unplannable(f"{type_name}.{field_name} is not Strawberry's")
    if definition.permission_classes or definition.extensions:
        raise Unplannable(f"{type_name}.{field_name} has a permission or an extension")
    if definition.base_resolver is None:
        return str(definition.python_name)
    if (type_name, field_name) not in PLAN_COMPUTED:
        raise Unplannable(f"{type_name}.{field_name} has a resolver")
    if field_name == "id":  # relay's node id: base64 of `<TypeName>:<node id>`
        return lambda value: to_base64(type_name, getattr(value, value.resolve_id_attr()))
    if field_name == "nodes":  # a connection's items without cursors
        return lambda value: [edge.node for edge in value.edges]
    raise Unplannable(f"{type_name}.{field_name}")


def _identity(value: Any, pending: Pending) -> Any:
    return value


async def settle(pending: Pending) -> None:
    """Await every pending value together (dataloaders batch them) and shape the results
    into their places; values those bring are settled in turn."""
    while pending:
        batch = list(pending)
        pending.clear()
        results = await asyncio.gather(*(_awaited(item[2]) for item in batch))
        for (out, key, _, shaper), result in zip(batch, results, strict=True):
            out[key] = shaper(result, pending)


async def _awaited(value: Any) -> Any:
    return await value


def _non_null(inner: Shaper) -> Shaper:
    def non_null(value: Any, pending: Pending) -> Any:
        if value is None:
            raise Unplannable("null in a non-null field: the executor reports it")
        return inner(value, pending)

    if hasattr(inner, "names"):  # an enum's memo, read inline by object shapers
        non_null.names = inner.names  # type: ignore[attr-defined]
    return non_null


def _listed_non_null(required: Shaper) -> Shaper:
    # Every shaper keeps null as null, so one look at the result checks the items.
    def listed_non_null(value: Any, pending: Pending) -> Any:
        if value is None:
            return None
        shaped = [required(element, pending) for element in value]
        if None in shaped:
            raise Unplannable("null in a list of non-null items")
        return shaped

    return listed_non_null


def _listed(item: Shaper) -> Shaper:
    def listed(value: Any, pending: Pending) -> Any:
        if value is None:
            return None
        return [item(element, pending) for element in value]

    return listed


def _abstract(by_name: dict[str, Shaper]) -> Shaper:
    """An interface or union: the shaper of the value's own type (looked up once per
    class)."""
    by_class: dict[type, Shaper] = {}

    def abstract(value: Any, pending: Pending) -> Any:
        if value is None:
            return None
        shaper = by_class.get(type(value))
        if shaper is None:
            definition = getattr(type(value), "__strawberry_definition__", None)
            shaper = by_name.get(getattr(definition, "name", ""))
            if shaper is None:
                raise Unplannable("a value of a type the plan does not know")
            by_class[type(value)] = shaper
        return shaper(value, pending)

    return abstract
