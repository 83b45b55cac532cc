"""One execution of an AI-task event per operation and viewer, shared by its subscribers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from graphql import OperationDefinitionNode, parse
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from resolvers.ai_tasks.model import task_stream
from resolvers.principal import ANONYMOUS, Principal, Role
from schema.shared_events import execution_key
from subscriptions.channels import stream_channel
from tests.factories.ai_tasks import append_words, make_streaming_task
from tests.factories.auth import make_user
from tests.waiting import subscribed
from tests.ws import graphql_socket

EVENTS = """subscription($t: ID!, $after: Int, $withText: Boolean = true) {
  aiTaskEvents(taskId: $t, after: $after) { sequence kind deltaText @include(if: $withText) } }"""
ALICE = Principal(role=Role.USER, user_id="alice")


def _key(query: str, variables: dict[str, Any], principal: Principal = ALICE) -> object:
    document = parse(query)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    fragments = {
        d.name.value: d for d in document.definitions if not isinstance(d, OperationDefinitionNode)
    }
    return execution_key(operation, fragments, variables, principal)


def test_the_root_fields_arguments_do_not_split_subscribers() -> None:
    # given the same operation with different tasks and cursors
    first = _key(EVENTS, {"t": "a", "after": 0, "withText": True})
    later = _key(EVENTS, {"t": "b", "after": 17, "withText": True})
    # then they render an event alike
    assert first == later


def test_variables_of_the_selection_split_subscribers() -> None:
    # given the same operation asking for the text or not
    with_text = _key(EVENTS, {"t": "a", "after": 0, "withText": True})
    without = _key(EVENTS, {"t": "a", "after": 0, "withText": False})
    # then their renderings are kept apart
    assert with_text != without


def test_variables_used_in_fragments_split_subscribers() -> None:
    # given a variable used in a fragment only
    query = """subscription($t: ID!, $x: Boolean!) { aiTaskEvents(taskId: $t) { ...F } }
      fragment F on AiTaskEvent { sequence deltaText @skip(if: $x) }"""
    # then its value is part of the key
    assert _key(query, {"t": "a", "x": True}) != _key(query, {"t": "a", "x": False})


def test_viewers_and_operations_split_subscribers() -> None:
    variables = {"t": "a", "after": 0, "withText": True}
    bob = Principal(role=Role.USER, user_id="bob")
    admin_alice = Principal(role=Role.ADMIN, user_id="alice")
    keys = {
        _key(EVENTS, variables),
        _key(EVENTS, variables, bob),
        _key(EVENTS, variables, admin_alice),
        _key(EVENTS, variables, ANONYMOUS),
        _key(EVENTS.replace("sequence kind", "kind sequence"), variables),
    }
    assert len(keys) == 5


@pytest.fixture
def executions(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Counts the subscription events graphql-core actually executes."""
    calls: list[int] = []
    original = StrawberryGraphQLCoreExecutionContext.execute_operation

    def counting(self: Any, serially: bool | None = None) -> Any:
        if serially is False:
            calls.append(1)
        return original(self, serially)

    monkeypatch.setattr(StrawberryGraphQLCoreExecutionContext, "execute_operation", counting)
    yield calls


async def test_subscribers_with_one_rendering_share_each_execution(
    client: httpx.AsyncClient, executions: list[int]
) -> None:
    # given a streaming task and three sockets of its owner: two want the text (from
    # different cursors), one does not
    owner = await make_user()
    task = await make_streaming_task(owner)
    task_id = task.task_id
    channel = stream_channel(task_stream(task_id))
    async with (
        graphql_socket(client, owner.access_token) as first,
        graphql_socket(client, owner.access_token) as second,
        graphql_socket(client, owner.access_token) as textless,
    ):
        await first.subscribe(EVENTS, {"t": task_id, "after": None})
        await second.subscribe(EVENTS, {"t": task_id, "after": None})
        await textless.subscribe(EVENTS, {"t": task_id, "after": None, "withText": False})
        await subscribed(channel, 3)
        # when four chunks are appended
        await append_words(task_id, ["a", "b", "c", "d"])
        received = [
            [p["data"]["aiTaskEvents"] for p in await socket.next_payloads(4)]
            for socket in (first, second, textless)
        ]
    # then each socket gets its own rendering of every chunk
    texts = [
        {"kind": "TEXT_CHUNK", "deltaText": word, "sequence": sequence}
        for sequence, word in enumerate("abcd", start=4)
    ]
    assert received[0] == texts
    assert received[1] == texts
    assert received[2] == [{"kind": "TEXT_CHUNK", "sequence": s} for s in range(4, 8)]
    # and each chunk was executed once per rendering: twice, not three times
    assert len(executions) == 8
