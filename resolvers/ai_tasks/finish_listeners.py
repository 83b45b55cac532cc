"""Finish listeners: domains that react when a task of their kind finishes.

The listeners are listed, per task kind, in `resolvers/play_types/registry.py`
(`FINISH_LISTENERS`): nothing registers itself by being imported, so a worker that imports
only `resolvers` runs the same listeners as the API process.

A process can stop right after the commit, so a listener is a fast path, not a guarantee:
its domain needs its own repair path (creation applies finished turns when a session is
read), and listeners must be idempotent. Their errors are logged.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from resolvers.ai_tasks.model import AiTaskKind

logger = logging.getLogger("genarrative.ai_tasks")


FinishListener = Callable[[dict[str, Any]], Awaitable[None]]


def listeners() -> Mapping[AiTaskKind, Sequence[FinishListener]]:
    # Imported here: the listeners belong to domains built on ai_tasks (creation).
    from resolvers.play_types.registry import FINISH_LISTENERS

    return FINISH_LISTENERS


async def task_finished(task: dict[str, Any]) -> None:
    """Run the finish listeners of the task's kind, once its final change committed, in
    the process that made it."""
    for listener in listeners().get(AiTaskKind(task["task_kind"]), ()):
        try:
            await listener(task)
        except Exception:
            logger.exception("a finish listener of task %s failed", task["task_id"])
