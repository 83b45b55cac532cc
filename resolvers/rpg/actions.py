"""What the graph calls: reading a story session and acting on it through the framework.

Every action names the session's `version` it was made on (`expectedVersion`) and goes
through `resolvers.runs.lifecycle.act` on the session's run: another user's session (or a
missing one) is NOT_FOUND, a stale version SNAPSHOT_STALE (with the current version), a
finished run RUN_FINISHED, a pending story turn TURN_IN_PROGRESS, a move the rules refuse
ILLEGAL_MOVE; nothing is written then.
"""

from __future__ import annotations

from typing import Any

from resolvers.ai_tasks import creating
from resolvers.gallery.play_types import PlayType
from resolvers.principal import Principal
from resolvers.rpg import narration
from resolvers.rpg.model import InventoryAction, NpcAction
from resolvers.rpg.runs import CUSTOM_WORLD_RUNS
from resolvers.rpg.state import StoryView
from resolvers.rpg.store import story as store
from resolvers.runs import lifecycle


async def _view(run_id: str) -> StoryView:
    return (await CUSTOM_WORLD_RUNS.states([run_id]))[run_id]


async def story_session(*, viewer: Principal, story_session_id: str) -> StoryView:
    """The viewer's story session (a finished pending turn applied first); NOT_FOUND else."""
    session = await store.owned_session(viewer=viewer, story_session_id=story_session_id)
    await narration.settle_session(session.runtime_session_id)
    return await _view(session.runtime_session_id)


async def act(
    viewer: Principal, story_session_id: str, expected_version: int, action: dict[str, Any]
) -> StoryView:
    session = await store.owned_session(viewer=viewer, story_session_id=story_session_id)
    run_id = session.runtime_session_id
    await narration.settle_session(run_id)
    await lifecycle.act(
        viewer=viewer,
        run_id=run_id,
        expected_snapshot_version=expected_version,
        action=action,
        play_type=PlayType.CUSTOM_WORLD,
    )
    view = await _view(run_id)
    if view.session.pending_task_id is not None:
        await creating.announce_queued(view.session.pending_task_id)  # wake the workers
    return view


async def story_continue(
    *,
    viewer: Principal,
    story_session_id: str,
    choice_function_id: str | None,
    text: str | None,
    expected_version: int,
) -> StoryView:
    """Queue the next story turn: an offered choice function, or typed text (narrative
    only). Its AI task is the session's `pending_task_id`."""
    action: dict[str, Any] = {"kind": "continue"}
    if choice_function_id is not None:
        action["choiceFunctionId"] = choice_function_id
    if text is not None:
        action["text"] = text
    return await act(viewer, story_session_id, expected_version, action)


async def npc_interact(
    *,
    viewer: Principal,
    story_session_id: str,
    npc_id: str,
    action: NpcAction,
    slot_id: str | None,
    expected_version: int,
) -> StoryView:
    move: dict[str, Any] = {"kind": "npc", "npcId": npc_id, "action": action.value}
    if slot_id is not None:
        move["slotId"] = slot_id
    return await act(viewer, story_session_id, expected_version, move)


async def inventory_act(
    *,
    viewer: Principal,
    story_session_id: str,
    slot_id: str,
    action: InventoryAction,
    expected_version: int,
) -> StoryView:
    move = {"kind": "inventory", "slotId": slot_id, "action": action.value}
    return await act(viewer, story_session_id, expected_version, move)
