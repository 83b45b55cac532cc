"""Strawberry's extension runner without the per-result work no extension asked for.

A subscription's stream calls, for every event and every subscriber, the runner's
`on_stream_result` (a context manager built from every extension's hook: a scan of the
extensions, an exit stack) and `get_extensions_results` (every extension's `get_results`,
awaited). With 1,500 subscribers that was about a third of Strawberry's per-delivery work
(bench/fanout.py, docs/realtime.md), for extensions that define neither hook.

`LeanExtensionsRunner` looks once, per operation, at which extensions override those two
hooks and runs only them: with none, `on_stream_result` is a shared no-op and the results
are the execution context's own; an extension whose stream hook does all its work before
the yield may offer it as a plain `process_stream_result(result)`, called directly. Any
other extension that overrides them is run exactly as Strawberry's runner runs it.

With neither (no stream hook but plain ones, no result hook) the runner also accepts direct
frames for the operation (schema/direct_frames.py): results without errors may then reach
a WebSocket without the stream. A plain stream hook must therefore touch only results with
errors (ErrorPolicy masks errors; a result without any passes it unchanged).
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any

from strawberry.extensions import SchemaExtension
from strawberry.extensions.context import StreamResultContextManager
from strawberry.extensions.runner import SchemaExtensionsRunner
from strawberry.types import ExecutionContext
from strawberry.utils.await_maybe import await_maybe

from schema import direct_frames


class _NoStreamHooks:
    """`async with` that does nothing: no extension hooks `on_stream_result`."""

    __slots__ = ()

    async def __aenter__(self) -> None:
        return None

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        return None


NO_STREAM_HOOKS = _NoStreamHooks()


def overrides(extension: SchemaExtension, hook: str) -> bool:
    return getattr(type(extension), hook) is not getattr(SchemaExtension, hook)


class LeanExtensionsRunner(SchemaExtensionsRunner):
    def __init__(
        self,
        execution_context: ExecutionContext,
        extensions: list[SchemaExtension] | None = None,
    ) -> None:
        super().__init__(execution_context=execution_context, extensions=extensions)
        hooked = [e for e in self.extensions if overrides(e, "on_stream_result")]
        # An extension whose whole stream hook runs before the yield can give it as a plain
        # `process_stream_result(result)` (schema/errors.py's ErrorPolicy): called in the
        # same order, without a context manager per result.
        plain = [getattr(e, "process_stream_result", None) for e in hooked]
        self.stream_hooks = any(p is None for p in plain)
        self.plain_stream_hooks: list[Callable[[Any], None]] = [p for p in plain if p]
        self.result_hooks = [e for e in self.extensions if overrides(e, "get_results")]
        if not self.stream_hooks and not self.result_hooks:
            direct_frames.accept(execution_context)

    def on_stream_result(self, result: Any) -> StreamResultContextManager:
        if self.stream_hooks:
            return super().on_stream_result(result)
        for hook in self.plain_stream_hooks:
            hook(result)
        # Used only in `async with`, which this satisfies.
        return NO_STREAM_HOOKS  # type: ignore[return-value]

    async def get_extensions_results(self, ctx: ExecutionContext) -> dict[str, Any]:
        # SchemaExtension.get_results returns {}: skipping those changes nothing.
        data: dict[str, Any] = {}
        for extension in self.result_hooks:
            data.update(await await_maybe(extension.get_results()))
        data.update(ctx.extensions_results)
        return data
