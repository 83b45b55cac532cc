"""Subscription events executed once per process and shared by their subscribers.

An event fans out to every subscriber of its stream in this process (25 sockets following
one task, say). Executing the subscription's selection set for each of them repeats the
same graphql-core work: the largest cost of fan-out. So:

- `shared_event(key, render)` builds an event's GraphQL object once per domain key (an
  event at a stream position) and keeps it, in a bounded FIFO, with the results already
  computed for it;
- `SharedEventExecutor`, the schema's executor, executes a subscription event whose root
  value is such an object once per *execution key* and gives every other subscriber with
  the same key the same result. The key is the operation (its text and name), the values
  of the variables its selection set uses (not the root field's own arguments: `after`
  differs between subscribers, the rendering of an event does not) and the viewer (role
  and user id: a field may depend on who asks).

Only immutable events may be shared (an event at a stream position never changes).
Per-event authorization (the connection's watch) happens before an event is yielded
(schema/streaming.py), for every subscriber, so sharing a result never skips it.

Over graphql-transport-ws a subscriber whose result is already there skips even the
per-event executor: its frame is written from the result's payload, encoded once per key
(`payload_of`, schema/direct_frames.py).
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import AsyncIterable, Awaitable, Callable, Hashable
from typing import Any, TypeVar, cast

import orjson
from graphql import (
    ExecutionResult,
    FieldNode,
    OperationDefinitionNode,
    OperationType,
    VariableNode,
    Visitor,
    print_ast,
    visit,
)
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema.direct_frames import Encode, current_sink, relay

T = TypeVar("T")
CAPACITY = 4096


class _Entry:
    __slots__ = ("payloads", "results", "value")

    def __init__(self, value: object) -> None:
        self.value = value
        self.results: dict[Hashable, ExecutionResult | asyncio.Future[ExecutionResult]] = {}
        self.payloads: dict[Hashable, str] = {}


class SharedEvents:
    """This process's shared event objects and their results (one per event loop)."""

    def __init__(self, *, capacity: int = CAPACITY) -> None:
        self.loop = asyncio.get_running_loop()
        self.capacity = capacity
        self._by_key: OrderedDict[Hashable, _Entry] = OrderedDict()
        # Entries hold their value, so an id here cannot be reused by another object.
        self._by_identity: dict[int, _Entry] = {}

    def get(self, key: Hashable, render: Callable[[], T]) -> T:
        entry = self._by_key.get(key)
        if entry is None:
            entry = _Entry(render())
            self._by_key[key] = entry
            self._by_identity[id(entry.value)] = entry
            if len(self._by_key) > self.capacity:
                _, oldest = self._by_key.popitem(last=False)
                del self._by_identity[id(oldest.value)]
        return cast(T, entry.value)

    def results_of(
        self, value: object
    ) -> dict[Hashable, ExecutionResult | asyncio.Future[ExecutionResult]] | None:
        entry = self._by_identity.get(id(value))
        return entry.results if entry is not None and entry.value is value else None

    def payload_of(self, value: object, key: Hashable, encode: Encode) -> str | None:
        """The `next` payload text of `value`'s result for `key`, encoded once; None when
        there is no finished result yet, or it has errors (masking makes those differ
        per connection: they carry its request id)."""
        entry = self._by_identity.get(id(value))
        if entry is None or entry.value is not value:
            return None
        payload = entry.payloads.get(key)
        if payload is not None:
            return payload
        result = entry.results.get(key)
        if isinstance(result, asyncio.Future):
            if not result.done() or result.cancelled() or result.exception() is not None:
                return None
            result = result.result()
        if result is None or result.errors:
            return None
        # Strawberry's payload of a result without errors or extensions (Operation.send_next).
        encoded = encode({"data": result.data})
        if not isinstance(encoded, str):
            return None  # bytes go out as binary frames: the normal stream sends those
        entry.payloads[key] = encoded
        return encoded


_shared: SharedEvents | None = None


def shared_events() -> SharedEvents:
    global _shared
    loop = asyncio.get_running_loop()
    if _shared is None or _shared.loop is not loop:
        _shared = SharedEvents()
    return _shared


def shared_event(key: Hashable, render: Callable[[], T]) -> T:
    """The event object for `key` (an immutable event at a stream position), built once."""
    return shared_events().get(key, render)


class SharedEventExecutor(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor, executing a shared subscription event once per key."""

    _execution_key: Hashable | None = None

    def cancellable_iterable(self, iterable: AsyncIterable[T]) -> AsyncIterable[T]:
        # graphql-core wraps the subscription's source stream here, on the executor every
        # event's copy is made from (which inherit the key), before the first event.
        if self._execution_key is None and self.operation.operation is OperationType.SUBSCRIPTION:
            key = self._execution_key = execution_key(
                self.operation,
                self.fragment_definitions,
                self.variable_values.coerced,
                getattr(self.context_value, "principal", None),
            )
            sink = current_sink()
            if sink is not None and sink.execution is not None:
                events, encode = shared_events(), sink.encode
                iterable = relay(iterable, sink, lambda e: events.payload_of(e, key, encode))
        return super().cancellable_iterable(iterable)

    def execute_operation(self, serially: bool | None = None) -> Any:
        key = self._execution_key
        if key is None or self.operation.operation is not OperationType.SUBSCRIPTION:
            return super().execute_operation(serially)
        results = shared_events().results_of(self.root_value)
        if results is None:
            return super().execute_operation(serially)
        found = results.get(key)
        if found is None:
            result = super().execute_operation(serially)
            if not self.is_awaitable(result):
                results[key] = cast(ExecutionResult, result)
                return result
            found = results[key] = asyncio.ensure_future(cast(Awaitable[ExecutionResult], result))
        if isinstance(found, asyncio.Future):
            return wait_shared(found)
        return found


def execution_key(
    operation: OperationDefinitionNode,
    fragments: dict[str, Any],
    variables: dict[str, Any],
    principal: Any,
) -> Hashable:
    used = _variables_below_root(operation, fragments)
    relevant = {name: value for name, value in variables.items() if name in used}
    # The document's text (parsed documents carry it); printed again only without one.
    source = operation.loc.source.body if operation.loc is not None else print_ast(operation)
    name = operation.name.value if operation.name is not None else None
    viewer = (getattr(principal, "role", None), getattr(principal, "user_id", None))
    return (
        source,
        name,
        orjson.dumps(relevant, option=orjson.OPT_SORT_KEYS, default=str),
        viewer,
    )


class _VariableNames(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def enter_variable(self, node: VariableNode, *_: Any) -> None:
        self.names.add(node.name.value)


def _variables_below_root(
    operation: OperationDefinitionNode, fragments: dict[str, Any]
) -> frozenset[str]:
    """Variables the rendering of an event can read: everything but the arguments of the
    root fields (what the subscription resolver takes). Fragments count whole."""
    collector = _VariableNames()
    nodes: list[Any] = [*(operation.directives or ()), *fragments.values()]
    for selection in operation.selection_set.selections:
        if isinstance(selection, FieldNode):
            nodes += [*(selection.directives or ())]
            if selection.selection_set is not None:
                nodes.append(selection.selection_set)
        else:
            nodes.append(selection)
    for node in nodes:
        visit(node, collector)
    return frozenset(collector.names)


async def wait_shared(future: asyncio.Future[T]) -> T:
    """Await a shared future without letting this waiter's cancellation cancel it (what
    `asyncio.shield` does, for less)."""
    if future.done():
        return future.result()
    waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def wake(_: asyncio.Future[Any]) -> None:
        if not waiter.done():
            waiter.set_result(None)

    future.add_done_callback(wake)
    try:
        await waiter
    finally:
        future.remove_done_callback(wake)
    return future.result()
