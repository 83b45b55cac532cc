"""Finish listeners: domains that react when a task of their kind finishes."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from resolvers.ai_tasks.model import AiTaskKind

logger = logging.getLogger("genarrative.ai_tasks")


FinishListener = Callable[[dict[str, Any]], Awaitable[None]]
_finish_listeners: dict[AiTaskKind, list[FinishListener]] = {}


def on_task_finished(kind: AiTaskKind, listener: FinishListener) -> None:
    """Call `listener(task_row)` after a task of `kind` completes, fails or is cancelled,
    once that change committed, in the process that made it.

    A process can stop right after the commit, so a listener is a fast path, not a
    guarantee: its domain needs its own repair path (creation applies finished turns when
    a session is read), and listeners must be idempotent. Their errors are logged.
    """
    listeners = _finish_listeners.setdefault(kind, [])
    if listener not in listeners:
        listeners.append(listener)


async def task_finished(task: dict[str, Any]) -> None:
    """Run the finish listeners of the task's kind (call after the final commit)."""
    for listener in list(_finish_listeners.get(AiTaskKind(task["task_kind"]), ())):
        try:
            await listener(task)
        except Exception:
            logger.exception("a finish listener of task %s failed", task["task_id"])
