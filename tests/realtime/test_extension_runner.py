"""The lean extension runner (schema/extension_runner.py) sends what Strawberry's sends."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, cast

import httpx
import pytest
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.graphql import OperationType

from schema.build import Schema
from schema.errors import ErrorPolicy
from schema.extension_runner import NO_STREAM_HOOKS, LeanExtensionsRunner
from tests.factories.ai_tasks import append_words, make_streaming_task
from tests.factories.auth import make_user
from tests.ws import graphql_socket

EVENTS = """subscription($t: ID!, $after: Int) {
  aiTaskEvents(taskId: $t, after: $after) { sequence kind deltaText stageKind } }"""


class _Request:
    request_id = "req-1"


def _context() -> ExecutionContext:
    return ExecutionContext(
        query="subscription { x }",
        schema=None,  # type: ignore[arg-type]
        allowed_operations=[OperationType.SUBSCRIPTION],
        context=_Request(),
    )


def _attached(extensions: list[SchemaExtension], context: ExecutionContext) -> None:
    for extension in extensions:
        extension.execution_context = context


def _failed_result() -> ExecutionResult:
    return ExecutionResult(
        data={"x": None},
        errors=[GraphQLError("boom", path=["x"], original_error=RuntimeError("secret"))],
    )


async def _stream_through(runner: SchemaExtensionsRunner, result: ExecutionResult) -> None:
    async with runner.on_stream_result(result):
        pass


async def test_errors_in_a_streamed_result_are_masked_as_strawberrys_runner_masks_them() -> None:
    # given the same failed result streamed through Strawberry's runner and the lean one
    context = _context()
    strawberry_policy, lean_policy = ErrorPolicy(), ErrorPolicy()
    _attached([strawberry_policy, lean_policy], context)
    by_strawberry, by_lean = _failed_result(), _failed_result()
    # when each runner handles it
    await _stream_through(SchemaExtensionsRunner(context, [strawberry_policy]), by_strawberry)
    await _stream_through(LeanExtensionsRunner(context, [lean_policy]), by_lean)
    # then the frames' errors are the same masked error, with no detail of the failure
    assert by_lean.errors is not None and by_strawberry.errors is not None
    assert [e.formatted for e in by_lean.errors] == [e.formatted for e in by_strawberry.errors]
    assert [e.formatted for e in by_lean.errors] == [
        {
            "message": "Internal server error.",
            "path": ["x"],
            "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-1"},
        }
    ]
    # and the policy knows the stream's results were processed (not again at the end)
    assert lean_policy._stream_result_processed is True


async def test_a_runner_without_stream_hooks_uses_the_shared_no_op() -> None:
    # given extensions none of which hooks streamed results, and the error policy
    class Plain(SchemaExtension):
        pass

    context = _context()
    extensions: list[SchemaExtension] = [Plain(), ErrorPolicy()]
    _attached(extensions, context)
    # when a result is streamed
    manager = LeanExtensionsRunner(context, extensions).on_stream_result(ExecutionResult({}, None))
    # then no context manager is built for it
    assert cast(object, manager) is NO_STREAM_HOOKS


async def test_an_extension_with_its_own_stream_hook_runs_as_strawberry_runs_it() -> None:
    # given an extension whose stream hook does work after the yield
    seen: list[str] = []

    class Around(SchemaExtension):
        def on_stream_result(self, result: Any) -> Iterator[None]:
            seen.append("before")
            yield
            seen.append("after")

    context = _context()
    extensions: list[SchemaExtension] = [ErrorPolicy(), Around()]
    _attached(extensions, context)
    result = _failed_result()
    # when a result is streamed through the lean runner
    await _stream_through(LeanExtensionsRunner(context, extensions), result)
    # then the hook ran around it and the errors were still masked
    assert seen == ["before", "after"]
    assert result.errors is not None
    assert result.errors[0].message == "Internal server error."


async def test_extension_results_are_strawberrys() -> None:
    # given an extension with results, one without, and results set on the context
    class Timing(SchemaExtension):
        def get_results(self) -> dict[str, Any]:
            return {"timing": 3}

    context = _context()
    context.extensions_results["cost"] = 7
    extensions: list[SchemaExtension] = [Timing(), ErrorPolicy()]
    _attached(extensions, context)
    # when both runners gather them
    lean = await LeanExtensionsRunner(context, extensions).get_extensions_results(context)
    original = await SchemaExtensionsRunner(context, extensions).get_extensions_results(context)
    # then they agree
    assert lean == original == {"timing": 3, "cost": 7}


async def _frames(client: httpx.AsyncClient, token: str, task_id: str) -> list[dict[str, Any]]:
    async with graphql_socket(client, token) as socket:
        await socket.subscribe(EVENTS, {"t": task_id, "after": 0})
        await socket.subscribe(EVENTS, {"t": "not-a-task", "after": 0})
        frames = [await socket.receive() for _ in range(7)]
    # The two operations' frames may interleave: compare them in a fixed order.
    return sorted(frames, key=lambda frame: json.dumps(frame, sort_keys=True))


async def test_socket_frames_are_identical_with_strawberrys_runner(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a task with chunks, and a second subscription that fails (an unknown task)
    owner = await make_user()
    task = await make_streaming_task(owner)
    await append_words(task.task_id, ["one", "two", "three"])
    # when the same two subscriptions are followed with the lean runner
    lean = await _frames(client, owner.access_token, task.task_id)
    # and with Strawberry's
    monkeypatch.setattr(
        Schema,
        "create_extensions_runner",
        lambda self, execution_context, extensions: SchemaExtensionsRunner(
            execution_context=execution_context, extensions=extensions
        ),
    )
    original = await _frames(client, owner.access_token, task.task_id)
    # then every frame is the same, ids included
    assert lean == original
    assert {frame["id"] for frame in lean} == {"1", "2"}
    assert [frame["type"] for frame in lean].count("next") == 6
