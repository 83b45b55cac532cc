"""Custom-world runs: the `RunRules` (resolvers/runs/rules.py), `CUSTOM_WORLD_RUNS`.

The framework owns status, version and timing (`runs_run`); the run is a story session
(`story_session.runtime_session_id` = the run id, `version` = its snapshot version). Actions
(each guarded by the run's version, resolvers/runs/lifecycle.py):
- `{"kind": "continue", "choiceFunctionId" | "text"}`: queues a story turn (narration.py);
  a choice function must be offered now (ILLEGAL_MOVE), text is 1 to 500 characters;
- `{"kind": "narrate", "taskId"}`: the server completing it (story.py's rules);
- `{"kind": "npc", "npcId", "action", "slotId"}`: npcs.py;
- `{"kind": "inventory", "slotId", "action"}`: inventory.py;
- part 2's battle, treasure and quest actions: play.py (a chat and an explored place also
  send quest signals).
While a story turn is pending every other action is TURN_IN_PROGRESS. Every applied action
sets the session's `version` and returns its changes in the ACTION event
(`storySessionEvents`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from resolvers.ai_tasks.reading import finished_task
from resolvers.gallery.play_types import PlayType
from resolvers.ids import new_id
from resolvers.rpg import inventory, narration, npcs, play, starting, story
from resolvers.rpg.changes import change
from resolvers.rpg.model import (
    MAX_TEXT_LENGTH,
    InventoryAction,
    NpcAction,
    StoryEventKind,
    StorySessionStatus,
)
from resolvers.rpg.records import PendingTurn, Progress, WorldContent
from resolvers.rpg.rows import StorySessionRow
from resolvers.rpg.state import StoryView
from resolvers.rpg.store import inventory as inventory_store
from resolvers.rpg.store import play as play_store
from resolvers.rpg.store import story as store
from resolvers.runs.errors import RunError, RunErrorCode
from resolvers.runs.model import NO_TIME_LIMIT, Outcome, Run, RunMode
from resolvers.runs.rules import PlayableWork, RunRules


def _invalid(message: str, field: str) -> RunError:
    return RunError(RunErrorCode.ACTION_INVALID, message, field=field)


class CustomWorldRunRules(RunRules[StoryView]):
    play_type = PlayType.CUSTOM_WORLD

    def time_limit_ms(self) -> int:
        return NO_TIME_LIMIT  # a story has no clock

    async def playable_work(
        self, *, work_id: str, mode: RunMode, user_id: str
    ) -> PlayableWork | None:
        return await starting.playable_work(work_id=work_id, mode=mode, user_id=user_id)

    async def start(self, *, run: Run, work: PlayableWork, now: datetime) -> dict[str, Any]:
        return await starting.start(run=run, work=work, now=now)

    async def apply(self, *, run: Run, action: Mapping[str, Any], now: datetime) -> Outcome:
        session = await store.session_of_run(run.run_id)
        kind = action.get("kind")
        if kind == narration.NARRATE:
            return await self._narrate(run, session, str(action.get("taskId")), now)
        if session.pending_task_id is not None:
            raise RunError(
                RunErrorCode.TURN_IN_PROGRESS, "The story is still answering your last turn."
            )
        content = WorldContent.model_validate(session.content_json)
        if kind == "continue":
            return await self._continue(run, session, action, now)
        if kind in play.KINDS:
            event_kind, changes, columns = await play.apply(session, content, action, now)
            return await self._applied(run, session, event_kind, changes, now, **columns)
        if kind == "npc":
            try:
                npc_action = NpcAction(str(action.get("action")))
            except ValueError as error:
                raise _invalid("Unknown NPC action.", "action") from error
            changes = await npcs.interact(
                session=session,
                content=content,
                npc_id=str(action.get("npcId") or ""),
                action=npc_action,
                slot_id=action.get("slotId"),
                now=now,
            )
            if npc_action is NpcAction.CHAT:
                changes += await play.chat_signals(session, str(action.get("npcId") or ""), now)
            return await self._applied(run, session, f"npc_{npc_action.value}", changes, now)
        if kind == "inventory":
            try:
                item_action = InventoryAction(str(action.get("action")))
            except ValueError as error:
                raise _invalid("Unknown inventory action.", "action") from error
            changes = await inventory.act(session, item_action, str(action.get("slotId")), now)
            return await self._applied(run, session, f"inventory_{item_action.value}", changes, now)
        raise _invalid(f"Unknown action {kind!r}.", "kind")

    async def _applied(
        self,
        run: Run,
        session: StorySessionRow,
        kind: str,
        changes: list[dict[str, Any]],
        now: datetime,
        **columns: Any,
    ) -> Outcome:
        after = await store.write_session(
            session.story_session_id, version=run.snapshot_version, updated_at=now, **columns
        )
        changes = [*changes, change("story_session", "update", after)]
        return Outcome(event={"kind": kind, "changes": changes})

    async def _continue(
        self, run: Run, session: StorySessionRow, action: Mapping[str, Any], now: datetime
    ) -> Outcome:
        choice = action.get("choiceFunctionId")
        text = action.get("text")
        if (choice is None) == (text is None):
            raise _invalid("Send either a choice function or text.", "choiceFunctionId")
        if choice is not None:
            story.check_offered(session, str(choice))
        else:
            text = str(text).strip()
            if not 1 <= len(text) <= MAX_TEXT_LENGTH or "\x00" in text:
                raise _invalid(f"Say 1 to {MAX_TEXT_LENGTH} characters.", "text")
        task_id, entries = await narration.queue_turn(
            run_id=run.run_id,
            owner_user_id=run.owner_user_id,
            prompt_text=story.prompt(session, choice, text),
            request={"choiceFunctionId": choice, "playerText": text},
            now=now,
        )
        pending = PendingTurn(task_id=task_id, choice_function_id=choice, text=text)
        outcome = await self._applied(
            run,
            session,
            "turn_queued",
            [],
            now,
            pending_task_id=task_id,
            pending_action_json=pending.as_json(),
            status=StorySessionStatus.NARRATING.value,
        )
        outcome.event["taskId"] = task_id
        return Outcome(event=outcome.event, entries=entries)

    async def _narrate(
        self, run: Run, session: StorySessionRow, task_id: str, now: datetime
    ) -> Outcome:
        task = await finished_task(task_id)
        if session.pending_task_id != task_id or task is None:
            raise RunError(RunErrorCode.ILLEGAL_MOVE, "No such pending turn.")
        pending = PendingTurn.model_validate(session.pending_action_json)
        clear: dict[str, Any] = {
            "pending_task_id": None,
            "pending_action_json": None,
            "status": StorySessionStatus.ACTIVE.value,
        }
        if task.status != "completed":
            return await self._applied(run, session, "turn_failed", [], now, **clear)
        narrative = story.read_reply(task.latest_text_output or "")
        content = WorldContent.model_validate(session.content_json)
        changes: list[dict[str, Any]] = []
        progress = session.progress_json
        if pending.choice_function_id is not None:
            moved, changes = await story.apply_choice(
                session, content, pending.choice_function_id, now
            )
            progress = moved.as_json()
            changes += await play.story_signals(session, content, pending.choice_function_id, now)
        turn = int(session.turn_count) + 1
        event = await store.insert_event(
            event_id=new_id(),
            story_session_id=session.story_session_id,
            kind=(
                StoryEventKind.CHOICE if pending.choice_function_id else StoryEventKind.TEXT
            ).value,
            narrative=narrative,
            choice_function_id=pending.choice_function_id,
            turn_index=turn,
            action_text=pending.text,
            now=now,
        )
        offered = story.offered(content, Progress.model_validate(progress))
        return await self._applied(
            run,
            session,
            "turn_applied",
            [*changes, change("story_event", "insert", event)],
            now,
            **clear,
            latest_narrative_text=narrative,
            latest_choice_function_id=pending.choice_function_id,
            turn_count=turn,
            progress_json=progress,
            offered_choices_json=[c.as_json() for c in offered],
        )

    async def on_finished(self, *, run: Run, now: datetime) -> list[Any]:
        session = await store.session_of_run(run.run_id)
        await store.write_session(
            session.story_session_id,
            status=StorySessionStatus.FINISHED.value,
            version=run.snapshot_version,
            updated_at=now,
        )
        return []

    async def states(self, run_ids: Sequence[str]) -> dict[str, StoryView]:
        """The session, its NPCs, inventory, story events, battles, treasure records, quests
        and quest logs, and the player's progression and chapter progressions (ten
        statements)."""
        sessions = await store.sessions_by_runs(run_ids)
        npc_rows = await store.npcs_of(list(sessions))
        slot_rows = await inventory_store.slots_of(list(sessions))
        events = await store.events_of([s.story_session_id for s in sessions.values()])
        battles = await play_store.battles_of(list(sessions))
        treasures = await play_store.treasures_of(list(sessions))
        quest_rows = await play_store.quests_of(list(sessions))
        logs = await play_store.quest_logs_of(list(sessions))
        users = sorted({s.actor_user_id for s in sessions.values()})
        progressions = await play_store.progressions_of(users)
        chapters = await play_store.chapters_of(users)
        return {
            run_id: StoryView(
                session=session,
                npcs=npc_rows[run_id],
                inventory=slot_rows[run_id],
                events=events[session.story_session_id],
                battles=battles[run_id],
                treasures=treasures[run_id],
                quests=quest_rows[run_id],
                quest_logs=logs[run_id],
                progression=progressions.get(session.actor_user_id),
                chapters=[
                    row
                    for row in chapters[session.actor_user_id]
                    if row.chapter_id.startswith(f"{session.world_profile_id}:")
                ],
            )
            for run_id, session in sessions.items()
        }

    def winning_actions(self, state: StoryView) -> list[dict[str, Any]]:
        return []  # a story session has no win yet (docs/rpg.md)

    def illegal_action(self, state: StoryView) -> dict[str, Any]:
        return {"kind": "continue", "choiceFunctionId": "not-offered"}


CUSTOM_WORLD_RUNS = CustomWorldRunRules()
