"""Frames written straight from shared results (schema/direct_frames.py) are the bytes
Strawberry's stream writes, for every subscription and every frame."""

from __future__ import annotations

import contextlib
import json
from collections import defaultdict
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from httpx_ws import AsyncWebSocketSession, WebSocketDisconnect, aconnect_ws
from strawberry.extensions import SchemaExtension
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.types import ExecutionContext

from resolvers.ai_tasks.model import task_stream
from resolvers.ai_tasks.rows import AiTaskEventRow
from resolvers.auth.password_signin import login_with_password
from schema.ai_tasks.types import AiTaskEvent
from schema.build import Schema
from schema.direct_frames import FrameSink
from schema.extension_runner import LeanExtensionsRunner
from schema.websocket import TransportWsHandler
from subscriptions.channels import stream_channel
from tests.factories.ai_tasks import append_words, make_streaming_task
from tests.factories.auth import TestUser, make_user
from tests.fixtures import GraphQLClient
from tests.waiting import subscribed
from tests.ws import URL

EVENTS = """subscription($t: ID!, $after: Int) {
  aiTaskEvents(taskId: $t, after: $after) { sequence kind deltaText stageKind } }"""
BOOM = "boom"  # the chunk whose rendering fails (masked: "Internal server error.")
Frames = dict[str, list[str]]


class _Unprintable:
    """No String can represent it: the field fails, and the policy masks the failure."""

    def __str__(self) -> str:
        raise RuntimeError("secret")


@pytest.fixture(autouse=True)
def failing_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    original = AiTaskEvent.from_row

    def from_row(row: AiTaskEventRow, *, sequence: int) -> AiTaskEvent:
        event = original(row, sequence=sequence)
        if event.delta_text == BOOM:
            event.delta_text = _Unprintable()  # type: ignore[assignment]
        return event

    monkeypatch.setattr(AiTaskEvent, "from_row", from_row)


@pytest.fixture
def direct_sends(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The payloads written as direct frames."""
    sent: list[str] = []
    original = FrameSink.send

    async def counting(self: FrameSink, payload: str) -> bool:
        written = await original(self, payload)
        if written:
            sent.append(payload)
        return written

    monkeypatch.setattr(FrameSink, "send", counting)
    yield sent


def _strawberrys_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every event through Strawberry's stream: main's transport before direct frames."""
    monkeypatch.setattr(
        TransportWsHandler, "run_operation", BaseGraphQLTransportWSHandler.run_operation
    )


@contextlib.asynccontextmanager
async def _socket(
    client: httpx.AsyncClient, token: str, request_id: str
) -> AsyncIterator[AsyncWebSocketSession]:
    # A fixed request id per socket: masked errors carry it.
    async with aconnect_ws(
        URL, client, subprotocols=["graphql-transport-ws"], headers={"X-Request-ID": request_id}
    ) as session:
        await session.send_json({"type": "connection_init", "payload": {"authorization": token}})
        assert json.loads(await session.receive_text())["type"] == "connection_ack"
        yield session


async def _subscribe(session: AsyncWebSocketSession, operation_id: str, task_id: str) -> None:
    payload = {"query": EVENTS, "variables": {"t": task_id, "after": 0}}
    await session.send_json({"id": operation_id, "type": "subscribe", "payload": payload})


async def _receive(session: AsyncWebSocketSession, name: str, count: int, into: Frames) -> None:
    """`count` text frames, as sent, kept per socket and operation (operations of one
    socket may interleave differently from run to run; each one's frames may not)."""
    for _ in range(count):
        text = await session.receive_text(timeout=5)
        into[f"{name}/{json.loads(text)['id']}"].append(text)


async def _close_code(session: AsyncWebSocketSession) -> int:
    with pytest.raises(WebSocketDisconnect) as closed:
        await session.receive_text(timeout=5)
    return int(closed.value.code)


async def _script(client: httpx.AsyncClient, gql: GraphQLClient, owner: TestUser) -> Frames:
    """One run: four subscribers of one execution key (two operations of one socket with
    different ids, another socket, another session that logs out mid-stream), a failing
    subscription (no such task), and a chunk whose rendering fails."""
    task = await make_streaming_task(owner)
    await append_words(task.task_id, ["one", BOOM, "two"])  # sequences 4, 5, 6
    leaving = await login_with_password(username=owner.username, password=owner.password)
    frames: Frames = defaultdict(list)
    async with (
        _socket(client, owner.access_token, "frames-a") as a,
        _socket(client, owner.access_token, "frames-b") as b,
        _socket(client, leaving.access.token, "frames-c") as c,
    ):
        await _subscribe(a, "1", task.task_id)
        await _subscribe(a, "2", "not-a-task")
        await _subscribe(a, "3", task.task_id)
        await _subscribe(b, "x", task.task_id)
        await _subscribe(c, "1", task.task_id)
        await subscribed(stream_channel(task_stream(task.task_id)), 4)
        await _receive(a, "a", 6 + 1 + 6, frames)
        await _receive(b, "b", 6, frames)
        await _receive(c, "c", 6, frames)
        # the second session logs out: its socket closes, the others keep streaming
        await gql.execute("mutation { authLogout { sessionId } }", token=leaving.access.token)
        frames["c/closed"].append(str(await _close_code(c)))
        await append_words(task.task_id, ["three"], prefix="later")
        await _receive(a, "a", 2, frames)
        await _receive(b, "b", 1, frames)
    return dict(frames)


async def test_every_frame_is_the_one_strawberrys_stream_sends(
    client: httpx.AsyncClient,
    gql: GraphQLClient,
    direct_sends: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given a user following a task from two sockets and a second session
    owner = await make_user()
    # when the same script runs with direct frames
    direct = await _script(client, gql, owner)
    # and with every event through Strawberry's stream
    _strawberrys_stream(monkeypatch)
    streamed = await _script(client, gql, owner)
    # then every frame is the same text, ids and masked errors included
    assert direct == streamed
    assert sorted(direct) == ["a/1", "a/2", "a/3", "b/x", "c/1", "c/closed"]
    assert direct["c/closed"] == ["4401"]
    assert '"Internal server error."' in direct["a/1"][4]
    assert '"requestId":"frames-b"' in direct["b/x"][4]
    # and of each event without errors one subscriber's result was executed and sent
    # through the stream, the others' were written directly: 3 of 4 for the five replayed,
    # 2 of 3 for the live one after the logout
    assert len(direct_sends) == 5 * 3 + 2


async def test_an_extension_with_results_keeps_every_event_on_the_stream(
    client: httpx.AsyncClient,
    gql: GraphQLClient,
    direct_sends: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given an extension that adds results to every streamed result
    class Cost(SchemaExtension):
        def get_results(self) -> dict[str, Any]:
            return {"cost": 1}

    def with_cost(
        self: Schema, execution_context: ExecutionContext, extensions: list[SchemaExtension]
    ) -> SchemaExtensionsRunner:
        cost = Cost()
        cost.execution_context = execution_context
        return LeanExtensionsRunner(execution_context, [*extensions, cost])

    monkeypatch.setattr(Schema, "create_extensions_runner", with_cost)
    owner = await make_user()
    # when the script runs
    frames = await _script(client, gql, owner)
    # then no frame was written directly, and every event's frame carries the results
    assert direct_sends == []
    nexts = [f for frame in frames["b/x"] if (f := json.loads(frame))["type"] == "next"]
    assert len(nexts) == 7
    assert all(frame["payload"]["extensions"] == {"cost": 1} for frame in nexts)
