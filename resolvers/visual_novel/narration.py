"""Text turns: the AI writes narrative and may pick one of the moves the rules allow.

`visualNovelRunSay` queues an AI task (kind STORY_CONTINUATION, `source_module`
`visual_novel`, `source_entity_id` the run) whose reply streams on `aiTaskEvents` like any
task; the run keeps the pending turn (`pending_turn_json`) and refuses another with
TURN_IN_PROGRESS. When the task finishes, the finish listener (`on_task_finished`, listed
in resolvers/play_types/registry.py) completes the turn through the run framework
(`resolvers.runs.completions.complete`, action `narrate`). A reply is read as JSON
`{"narrative": text, "choiceId": id}` (what a real model is asked for) or, when it is not
JSON (the embedded generator), as narrative only. A `choiceId` is taken only when it is
one of the choices offered now; every other key (flags, metrics, endings, scenes) is
ignored: the AI never sets them. Reads of the run (`settle_run`) complete a turn whose task
finished while its listener did not run (the process stopped between the two).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import orjson

from resolvers.ai_tasks import creating
from resolvers.ai_tasks.model import AiTaskKind
from resolvers.ai_tasks.reading import finished_task
from resolvers.gallery.play_types import PlayType
from resolvers.runs.completions import complete
from resolvers.visual_novel.store import runs as run_store
from subscriptions.streams import StreamEntry

logger = logging.getLogger("genarrative.visual_novel")

SOURCE_MODULE = PlayType.VISUAL_NOVEL.value
NARRATE = "narrate"
MAX_NARRATIVE_LENGTH = 4000


def prompt(story: Mapping[str, Any], state: Mapping[str, Any], text: str) -> str:
    """The generator's prompt: the scene, the moves allowed now, the player's words."""
    scene: Mapping[str, Any] = next(
        (s for s in story["scenes"] if s["sceneId"] == state.get("sceneId")), {}
    )
    offered = [c for c in scene.get("choices", []) if c["choiceId"] in state["availableChoiceIds"]]
    moves = "\n".join(f"- {c['choiceId']}: {c.get('label', '')}" for c in offered) or "- none"
    return (
        f"You narrate the visual novel {story.get('title', '')!r}.\n"
        f"Scene: {scene.get('title', '')}\n{state.get('narrative', '')[:1500]}\n"
        f"Moves the story allows now:\n{moves}\n"
        f"The player says: {text}\n"
        'Answer with JSON {"narrative": string, "choiceId": one of the moves or null}. '
        "You cannot change flags, metrics or endings."
    )


def read_reply(reply: str, offered: list[str]) -> tuple[str, str | None]:
    """The narrative and the picked move (None: none, or one not offered now)."""
    text = reply.strip()
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError:
        return text[:MAX_NARRATIVE_LENGTH], None
    if not isinstance(data, dict):
        return text[:MAX_NARRATIVE_LENGTH], None
    narrative = str(data.get("narrative") or "")[:MAX_NARRATIVE_LENGTH]
    picked = data.get("choiceId")
    return narrative, picked if isinstance(picked, str) and picked in offered else None


async def queue_turn(
    *, run_id: str, owner_user_id: str, text: str, prompt_text: str, now: datetime
) -> tuple[str, list[StreamEntry]]:
    """Queue the turn's AI task inside the run's transaction; its id and stream entries."""
    task, entries = await creating.queue_generation(
        owner_user_id=owner_user_id,
        kind=AiTaskKind.STORY_CONTINUATION,
        prompt=prompt_text,
        source_module=SOURCE_MODULE,
        source_entity_id=run_id,
        request_payload={"playerText": text},
        now=now,
    )
    return str(task["task_id"]), entries


async def complete_turn(run_id: str, task_id: str) -> bool:
    """Apply a finished text turn once (the rules refuse a task that is not pending)."""
    run = await complete(
        run_id=run_id, play_type=PlayType.VISUAL_NOVEL, action={"kind": NARRATE, "taskId": task_id}
    )
    return run is not None


async def settle_run(run_id: str) -> None:
    """Complete the run's pending turn if its task has finished (one read when not)."""
    row = (await run_store.state_rows([run_id])).get(run_id)
    task_id = row.pending_task_id if row else None
    if task_id and await finished_task(task_id) is not None:
        await complete_turn(run_id, task_id)


async def on_task_finished(task: dict[str, Any]) -> None:
    """The finish listener of STORY_CONTINUATION tasks (listed in the registry)."""
    if task.get("source_module") != SOURCE_MODULE or not task.get("source_entity_id"):
        return
    try:
        await complete_turn(str(task["source_entity_id"]), str(task["task_id"]))
    except Exception:
        logger.exception("completing visual-novel turn of task %s failed", task["task_id"])
