"""Visual-novel runs: the `RunRules` (resolvers/runs/rules.py), `VISUAL_NOVEL_RUNS`.

The framework owns status, version and timing (`runs_run`); the story state is the run's
`visual_novel_runtime_run` row: the catalog's columns (scene, phase, visible characters,
flags, metrics, available choices, text mode) and `snapshot_json` = `{"story": the draft
played, "state": the state}` (resolvers/visual_novel/story.py). Actions:
- `{"kind": "choose", "choiceId"}`: a choice offered now (else ILLEGAL_MOVE); its effects,
  then the next scene or the ending (a `win` ending WINS the run, `lose` LOSES it,
  BAD_ENDING).
- `{"kind": "say", "text"}` (text mode only): queues the AI turn (narration.py).
- `{"kind": "regenerate", "turnIndex"}`: back to the state before that turn (kept for the
  last 20 turns: REGENERATE_TOO_OLD; its hash must match the turn's history entry:
  HISTORY_DIVERGED), then the turn again: a choice is applied again, a text turn asks the
  AI again.
- `{"kind": "narrate", "taskId"}`: the server completing a text turn (completions.py).
Any action while a text turn is pending is TURN_IN_PROGRESS. Every applied turn is
recorded (history.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from resolvers.ai_tasks.reading import finished_task
from resolvers.gallery.play_types import PlayType
from resolvers.play_types.rows import as_json
from resolvers.runs.errors import RunError, RunErrorCode
from resolvers.runs.model import Outcome, Run, RunMode, RunReason, RunStatus
from resolvers.runs.rules import PlayableWork, RunRules
from resolvers.visual_novel import drafts, narration, starting, story
from resolvers.visual_novel.history import record_turn, state_columns
from resolvers.visual_novel.model import MAX_SAY_LENGTH, TurnSource, VisualNovelLossReason
from resolvers.visual_novel.run_state import VisualNovelRunStateRow
from resolvers.visual_novel.store import history as history_store
from resolvers.visual_novel.store import runs as run_store
from settings import get_settings


def _refuse(code: RunErrorCode, message: str, field: str | None = None) -> RunError:
    return RunError(code, message, field=field)


class VisualNovelRunRules(RunRules[VisualNovelRunStateRow]):
    play_type = PlayType.VISUAL_NOVEL

    def time_limit_ms(self) -> int:
        return get_settings().visual_novel_run_time_limit_seconds * 1000

    async def playable_work(
        self, *, work_id: str, mode: RunMode, user_id: str
    ) -> PlayableWork | None:
        return await starting.playable_work(work_id=work_id, mode=mode, user_id=user_id)

    async def start(self, *, run: Run, work: PlayableWork, now: datetime) -> dict[str, Any]:
        return await starting.start(run=run, work=work, now=now)

    async def apply(self, *, run: Run, action: Mapping[str, Any], now: datetime) -> Outcome:
        row = (await run_store.state_rows([run.run_id]))[run.run_id]
        kind = action.get("kind")
        if kind == narration.NARRATE:
            return await self._narrate(run, row, str(action.get("taskId")), now)
        if row.pending_turn_json is not None:
            raise _refuse(
                RunErrorCode.TURN_IN_PROGRESS, "The story is still answering your last turn."
            )
        draft = drafts.stored_draft(row.story)
        state = row.state
        if kind == "choose":
            return await self._choose(run, row, draft, state, str(action.get("choiceId")), now)
        if kind == "say":
            return await self._say(run, row, state, str(action.get("text") or ""), now)
        if kind == "regenerate":
            return await self._regenerate(run, row, draft, state, int(action["turnIndex"]), now)
        raise _refuse(RunErrorCode.ACTION_INVALID, f"Unknown action {kind!r}.")

    async def _choose(
        self,
        run: Run,
        row: VisualNovelRunStateRow,
        draft: drafts.VisualNovelResultDraft,
        state: Mapping[str, Any],
        choice_id: str,
        now: datetime,
        *,
        regenerated: bool = False,
        narrative: str | None = None,
        source: TurnSource = TurnSource.CHOICE,
        action_text: str | None = None,
        client_event_id: str = "",
    ) -> Outcome:
        applied = story.apply_choice(draft, state, choice_id)
        if applied is None:
            raise _refuse(RunErrorCode.ILLEGAL_MOVE, "That choice is not offered now.", "choiceId")
        after, steps = applied
        if narrative:
            after = {**after, "narrative": narrative}
            steps.append({"kind": "narrative", "text": narrative})
        entries = await record_turn(
            run=run,
            row=row,
            before=state,
            after=after,
            steps=steps,
            source=source,
            action_text=choice_id if action_text is None else action_text,
            regenerated=regenerated,
            client_event_id=client_event_id,
            now=now,
        )
        return self._outcome(draft, after, steps, entries)

    def _outcome(
        self,
        draft: drafts.VisualNovelResultDraft,
        after: Mapping[str, Any],
        steps: Any,
        entries: Any,
    ) -> Outcome:
        event = {"turnIndex": after["turn"], "sceneId": after["sceneId"], "steps": steps}
        ending = story.outcome_of(draft, after)
        if ending == "win":
            return Outcome(
                event=event, status=RunStatus.WON, reason=RunReason.COMPLETED.value, entries=entries
            )
        if ending == "lose":
            return Outcome(
                event=event,
                status=RunStatus.LOST,
                reason=VisualNovelLossReason.BAD_ENDING.value,
                entries=entries,
            )
        return Outcome(event=event, entries=entries)

    async def _say(
        self,
        run: Run,
        row: VisualNovelRunStateRow,
        state: Mapping[str, Any],
        text: str,
        now: datetime,
        *,
        turn_index: int | None = None,
        regenerated: bool = False,
    ) -> Outcome:
        text = text.strip()
        if not row.text_mode_enabled:
            raise _refuse(RunErrorCode.ILLEGAL_MOVE, "This visual novel has no text mode.", "text")
        if not 1 <= len(text) <= MAX_SAY_LENGTH or "\x00" in text:
            raise _refuse(
                RunErrorCode.ACTION_INVALID, f"Say 1 to {MAX_SAY_LENGTH} characters.", "text"
            )
        story_json = row.story
        task_id, entries = await narration.queue_turn(
            run_id=run.run_id,
            owner_user_id=run.owner_user_id,
            text=text,
            prompt_text=narration.prompt(story_json, state, text),
            now=now,
        )
        pending = {
            "taskId": task_id,
            "text": text,
            "turnIndex": turn_index or int(state["turn"]) + 1,
            "regenerated": regenerated,
        }
        await run_store.write_state(run_id=run.run_id, now=now, pending_turn_json=as_json(pending))
        return Outcome(event={"kind": "say", "taskId": task_id}, entries=entries)

    async def _narrate(
        self, run: Run, row: VisualNovelRunStateRow, task_id: str, now: datetime
    ) -> Outcome:
        pending = row.pending_turn_json
        task = await finished_task(task_id)
        if pending is None or pending["taskId"] != task_id or task is None:
            raise _refuse(RunErrorCode.ILLEGAL_MOVE, "No such pending turn.")
        draft = drafts.stored_draft(row.story)
        state = row.state
        if task.status != "completed":
            await run_store.write_state(run_id=run.run_id, now=now, pending_turn_json=None)
            return Outcome(event={"kind": "turn_failed", "taskId": task_id})
        narrative, picked = narration.read_reply(
            task.latest_text_output or "", state["availableChoiceIds"]
        )
        common = {
            "regenerated": bool(pending.get("regenerated")),
            "source": TurnSource.TEXT,
            "action_text": pending["text"],
            "client_event_id": task_id,
        }
        if picked is not None:
            return await self._choose(
                run, row, draft, state, picked, now, narrative=narrative, **common
            )
        after = {**state, "narrative": narrative, "turn": int(state["turn"]) + 1}
        steps = [{"kind": "narrative", "text": narrative}]
        entries = await record_turn(
            run=run, row=row, before=state, after=after, steps=steps, now=now, **common
        )
        return self._outcome(draft, after, steps, entries)

    async def _regenerate(
        self,
        run: Run,
        row: VisualNovelRunStateRow,
        draft: drafts.VisualNovelResultDraft,
        state: Mapping[str, Any],
        turn_index: int,
        now: datetime,
    ) -> Outcome:
        if not 1 <= turn_index <= int(state["turn"]):
            raise _refuse(RunErrorCode.ILLEGAL_MOVE, "The run has no such turn.", "turnIndex")
        kept = next((k for k in row.recent_snapshots_json if k["turnIndex"] == turn_index), None)
        if kept is None:
            raise _refuse(
                RunErrorCode.REGENERATE_TOO_OLD,
                "Only the last 20 turns can be regenerated.",
                "turnIndex",
            )
        entry = await history_store.latest_entry(run_id=run.run_id, turn_index=turn_index)
        before = kept["snapshot"]
        if entry is None or entry.snapshot_before_hash != story.snapshot_hash(before):
            raise _refuse(
                RunErrorCode.HISTORY_DIVERGED, "The run's history does not match its snapshots."
            )
        rolled = replace(
            row,
            recent_snapshots_json=[
                k for k in row.recent_snapshots_json if k["turnIndex"] < turn_index
            ],
        )
        await run_store.write_state(
            run_id=run.run_id,
            now=now,
            **state_columns(row.story, before),
            recent_snapshots_json=as_json(rolled.recent_snapshots_json),
        )
        if entry.source is TurnSource.TEXT:
            return await self._say(
                run,
                rolled,
                before,
                entry.action_text,
                now,
                turn_index=turn_index,
                regenerated=True,
            )
        choice = next((s["choiceId"] for s in entry.steps_json if s.get("kind") == "choice"), "")
        return await self._choose(run, rolled, draft, before, choice, now, regenerated=True)

    async def on_finished(self, *, run: Run, now: datetime) -> list[Any]:
        await run_store.set_status(run_id=run.run_id, status=run.status.value, now=now)
        return []

    async def states(self, run_ids: Sequence[str]) -> dict[str, VisualNovelRunStateRow]:
        """The story state only: the status mirror and timestamps are the framework's."""
        return await run_store.state_rows(run_ids)

    def winning_actions(self, state: VisualNovelRunStateRow) -> list[dict[str, Any]]:
        draft = drafts.stored_draft(state.story)
        path = story.winning_choices(draft, state.state) or []
        return [{"kind": "choose", "choiceId": choice_id} for choice_id in path]

    def illegal_action(self, state: VisualNovelRunStateRow) -> dict[str, Any]:
        return {"kind": "choose", "choiceId": "not-offered"}


VISUAL_NOVEL_RUNS = VisualNovelRunRules()
