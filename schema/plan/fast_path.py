"""Plans per document, and running them.

A document gets a plan only after the normal executor ran it without a request error:
then it parsed, passed validation and the limits (depth, aliases, tokens, NUL literals),
all of which depend on the document alone, so the plan never repeats them. The cache is an
LRU of `max_documents` (document, operation name) keys, holding a plan or the decision
that there is none. Each request still coerces its variables (once) and refuses NUL in
them by falling back. A plan that meets anything it does not serve the executor's way
(an argument error, a null in a non-null field, a database failure) gives up, and the
view runs the operation normally, which then reports it exactly as always.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    GraphQLField,
    GraphQLObjectType,
    OperationType,
    VariableDefinitionNode,
    get_operation_ast,
    parse,
)
from graphql.execution.values import get_argument_values, get_variable_values
from strawberry.schema import BaseSchema
from strawberry.types.execution import ExecutionResult

from observability import metrics
from schema.context import Context
from schema.guards import holds_nul
from schema.operation_metrics import operation_label
from schema.plan.objects import Pending, Shaper
from schema.plan.roots import ROOTS, ROW_ROOTS, RootEntry
from schema.plan.shaping import Compiler, Unplannable, settle

logger = logging.getLogger("genarrative.plan")


@dataclass(frozen=True, slots=True)
class RootStep:
    key: str
    field: GraphQLField | None  # None: `__typename`
    node: FieldNode
    entry: RootEntry | None
    shape: Shaper


@dataclass(frozen=True, slots=True)
class Plan:
    label: str
    variables: tuple[VariableDefinitionNode, ...]
    steps: tuple[RootStep, ...]


_NO_PLAN = "no plan"


class FastPath:
    """The plans of one schema (one per view)."""

    def __init__(self, schema: BaseSchema, *, max_documents: int = 1000) -> None:
        self.schema = schema._schema  # type: ignore[attr-defined]
        self.max_documents = max_documents
        self._plans: OrderedDict[tuple[str, str | None], Plan | str] = OrderedDict()
        self.served = 0  # operations answered by a plan (tests, the bench)

    def plan_for(self, query: str, operation_name: str | None) -> Plan | None:
        found = self._plans.get((query, operation_name))
        if found is None:
            return None
        self._plans.move_to_end((query, operation_name))
        return found if isinstance(found, Plan) else None

    def learn(self, query: str | None, operation_name: str | None, result: ExecutionResult) -> None:
        """After a normal execution: plan the document if it proved valid."""
        # (the transport checks the types of what clients send only later)
        if not isinstance(query, str) or not isinstance(operation_name, str | None):
            return
        if (query, operation_name) in self._plans:
            return
        if result.data is None or any(not error.path for error in result.errors or ()):
            return  # a request error, or nothing to show it was valid
        try:
            plan: Plan | str = self.compile(query, operation_name)
        except Unplannable as reason:
            logger.debug("no plan: %s", reason)
            plan = _NO_PLAN
        self._plans[(query, operation_name)] = plan
        if len(self._plans) > self.max_documents:
            self._plans.popitem(last=False)

    def compile(self, query: str, operation_name: str | None) -> Plan:
        document = parse(query)
        operation = get_operation_ast(document, operation_name)
        if operation is None or operation.operation is not OperationType.QUERY:
            raise Unplannable("not a query")
        if operation.directives:
            raise Unplannable("directives")
        fragments = {
            definition.name.value: definition
            for definition in document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        compiler = Compiler(self.schema, fragments)
        root = self.schema.query_type
        assert isinstance(root, GraphQLObjectType)
        steps = []
        for key, nodes in compiler.collect(root, [operation.selection_set]).items():
            name = nodes[0].name.value
            if name == "__typename":
                steps.append(RootStep(key, None, nodes[0], None, _query_name(root.name)))
                continue
            entry = ROOTS.get(name)
            field = root.fields.get(name)
            if entry is None or field is None:
                raise Unplannable(f"Query.{name} has no plan")
            steps.append(_root_step(compiler, key, field, nodes, entry))
        return Plan(
            label=operation_label(operation, self.schema),
            variables=tuple(operation.variable_definitions or ()),
            steps=tuple(steps),
        )

    async def execute(
        self,
        query: str | None,
        operation_name: str | None,
        variables: dict[str, Any] | None,
        context: Context,
    ) -> ExecutionResult | None:
        """The operation's result by its plan, or None: run it normally."""
        if not isinstance(query, str) or not isinstance(operation_name, str | None):
            return None
        plan = self.plan_for(query, operation_name)
        if plan is None:
            return None
        started = time.perf_counter()
        if variables is not None and (not isinstance(variables, dict) or holds_nul(variables)):
            return None
        coerced = get_variable_values(self.schema, plan.variables, variables or {})
        if isinstance(coerced, list):
            return None  # the executor reports the variable errors
        try:
            data = await self._run(plan, coerced, context)
        except Exception as error:
            logger.debug("plan gave up: %r", error)
            return None
        self.served += 1
        metrics.record_request(plan.label, metrics.OK, time.perf_counter() - started)
        return ExecutionResult(data=data, errors=None)

    @staticmethod
    async def _run(plan: Plan, variables: Any, context: Context) -> dict[str, Any]:
        data: dict[str, Any] = {}
        pending: Pending = []
        for step in plan.steps:
            if step.entry is None or step.field is None:
                data[step.key] = step.shape(None, pending)
                continue
            arguments = get_argument_values(step.field, step.node, variables)
            data[step.key] = step.shape(await step.entry(context, arguments), pending)
        await settle(pending)
        return data


def _root_step(
    compiler: Compiler, key: str, field: GraphQLField, nodes: list[FieldNode], entry: RootEntry
) -> RootStep:
    """A root field's step: shaping rows when it has a row plan that covers the selection,
    else shaping the objects its resolver's function returns."""
    rows = ROW_ROOTS.get(nodes[0].name.value)
    if rows is not None:
        try:
            return RootStep(key, field, nodes[0], rows[0], rows[1](compiler, field, nodes))
        except Unplannable as reason:
            logger.debug("no row plan: %s", reason)
    return RootStep(key, field, nodes[0], entry, compiler.output(field.type, nodes))


def _query_name(name: str) -> Shaper:
    return lambda value, pending: name
