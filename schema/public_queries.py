"""Which queries the public-response cache (schema/public_cache.py) may answer: the
allow-list of root fields, and what each (document, operation name) is made of."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from graphql import FieldNode, GraphQLError, GraphQLSchema, OperationType, get_operation_ast, parse

from observability import metrics
from schema.operation_metrics import operation_label

# Root fields whose result is the same for every anonymous caller and reads published data
# only. Never add a field that reads the viewer's or anyone's private rows (drafts,
# sessions, wallets): tests/public_cache/test_allow_list.py fails. (`puzzleLeaderboard`
# also serves its owner a draft's board and the viewer's own entry: for an anonymous caller
# the one is NOT_FOUND, an error, never stored, and the other null.)
PUBLIC_ROOT_FIELDS = frozenset(
    {"gallery", "publicPuzzleWork", "publicCustomWorld", "publicCustomWorlds", "puzzleLeaderboard"}
)
# The fields whose results say what they depend on (schema/cache_notes.py `note_works`,
# `note_stream`), so that a change drops only the results that hold what it changed.
NAMING_FIELDS = frozenset({"gallery", "puzzleLeaderboard"})
PLANS_KEPT = 512


@dataclass(frozen=True, slots=True)
class Plan:
    """What the cache makes of one (document, operation name)."""

    cacheable: bool
    label: str = metrics.OTHER
    naming_fields: int = 0  # root fields that each name what they depend on; 0: not all do


class Plans:
    """Plans of the documents seen lately (parsed once each)."""

    def __init__(self, schema: GraphQLSchema) -> None:
        self.schema = schema
        self._plans: OrderedDict[tuple[str, str | None], Plan] = OrderedDict()

    def plan(self, query: str, operation_name: str | None) -> Plan:
        """Cacheable: a query whose root selects only allowed fields (and `__typename`)."""
        memo = (query, operation_name)
        plan = self._plans.get(memo)
        if plan is None:
            plan = self._plan(query, operation_name)
            self._plans[memo] = plan
            if len(self._plans) > PLANS_KEPT:
                self._plans.popitem(last=False)
        return plan

    def _plan(self, query: str, operation_name: str | None) -> Plan:
        try:
            operation = get_operation_ast(parse(query), operation_name)
        except GraphQLError:
            return Plan(cacheable=False)
        if operation is None or operation.operation is not OperationType.QUERY:
            return Plan(cacheable=False)
        names = []
        for selection in operation.selection_set.selections:
            if not isinstance(selection, FieldNode):
                return Plan(cacheable=False)  # a fragment at the root: not worth resolving
            names.append(selection.name.value)
        allowed = [name for name in names if name != "__typename"]
        if not allowed or any(name not in PUBLIC_ROOT_FIELDS for name in allowed):
            return Plan(cacheable=False)
        naming = len(allowed) if all(name in NAMING_FIELDS for name in allowed) else 0
        return Plan(
            cacheable=True, label=operation_label(operation, self.schema), naming_fields=naming
        )
