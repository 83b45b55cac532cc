"""Story turns through the AI pipeline, on the run framework's completions.

`storyContinue` queues an AI task (kind STORY_CONTINUATION, source module `rpg`, entity the
run) whose text streams on `aiTaskEvents`; the session keeps it pending (`pending_task_id`,
status `narrating`) and refuses every other action with TURN_IN_PROGRESS. When the task
finishes, the finish listener (`on_task_finished`, listed in resolvers/play_types/
registry.py) completes the turn through `resolvers.runs.completions.complete` (action
`narrate`). Reads of the session and `storySessionEvents` first complete a turn whose task
finished while its listener did not run (`settle_session`).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from resolvers.ai_tasks import creating
from resolvers.ai_tasks.model import AiTaskKind
from resolvers.ai_tasks.reading import finished_task
from resolvers.gallery.play_types import PlayType
from resolvers.rpg.model import SOURCE_MODULE
from resolvers.rpg.store import story as store
from resolvers.runs.completions import complete
from subscriptions.streams import StreamEntry

logger = logging.getLogger("genarrative.rpg")

NARRATE = "narrate"


async def queue_turn(
    *, run_id: str, owner_user_id: str, prompt_text: str, request: dict[str, Any], now: datetime
) -> tuple[str, list[StreamEntry]]:
    """Queue the turn's AI task inside the run's transaction; its id and stream entries."""
    task, entries = await creating.queue_generation(
        owner_user_id=owner_user_id,
        kind=AiTaskKind.STORY_CONTINUATION,
        prompt=prompt_text,
        source_module=SOURCE_MODULE,
        source_entity_id=run_id,
        request_payload=request,
        now=now,
    )
    return str(task["task_id"]), entries


async def complete_turn(run_id: str, task_id: str) -> bool:
    run = await complete(
        run_id=run_id, play_type=PlayType.CUSTOM_WORLD, action={"kind": NARRATE, "taskId": task_id}
    )
    return run is not None


async def settle_session(run_id: str) -> None:
    """Complete the session's pending turn if its task has finished (one read when not)."""
    session = (await store.sessions_by_runs([run_id])).get(run_id)
    task_id = session.pending_task_id if session else None
    if task_id and await finished_task(task_id) is not None:
        await complete_turn(run_id, task_id)


async def on_task_finished(task: dict[str, Any]) -> None:
    """The finish listener of STORY_CONTINUATION tasks (listed in the registry)."""
    if task.get("source_module") != SOURCE_MODULE or not task.get("source_entity_id"):
        return
    try:
        await complete_turn(str(task["source_entity_id"]), str(task["task_id"]))
    except Exception:
        logger.exception("completing the story turn of task %s failed", task["task_id"])
