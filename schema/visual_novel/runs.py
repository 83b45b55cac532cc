"""Visual-novel runs on the graph: `VisualNovelRun` (the `Run` interface with the story
state and its history) and the run's three actions: `visualNovelRunChoose`,
`visualNovelRunSay` (text mode: an AI task streamed on `aiTaskEvents`) and
`visualNovelRunRegenerate` (resolvers/visual_novel/runs.py).

A refusal returns `errors` (and `currentSnapshotVersion` when stale or finished) and
writes nothing; another user's run is NOT_FOUND.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from weakref import WeakKeyDictionary

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.scalars import JSON

from resolvers.ai_tasks import creating
from resolvers.gallery.play_types import PlayType
from resolvers.runs import lifecycle
from resolvers.runs import model as runs_model
from resolvers.runs.refusals import owned_run
from resolvers.visual_novel import narration
from resolvers.visual_novel.rows import VisualNovelHistoryEntryRow
from resolvers.visual_novel.run_state import VisualNovelRunStateRow
from resolvers.visual_novel.store import history as history_store
from schema.context import Info
from schema.mutation_errors import DomainErrorPayload
from schema.permissions import IsAuthenticated
from schema.runs.types import Run, RunErrorType, RunLoaders, build_runs, run_object_id

RUN_ID = "Your visual-novel run's `runId`, or its global `id`."


@strawberry.type(description="A choice the run offers now (its conditions hold).")
class VisualNovelRunChoice:
    choice_id: strawberry.ID = strawberry.field(description="What `visualNovelRunChoose` takes.")
    label: str = strawberry.field(description="What the choice says.")


@strawberry.type(
    description="One applied turn of a run (for continuing and regenerating; not a replay)."
)
class VisualNovelHistoryEntry:
    entry_id: strawberry.ID = strawberry.field(description="The entry's id.")
    turn_index: int = strawberry.field(
        description="The turn, from 1 (a regenerated turn has a newer entry with the same index)."
    )
    source: str = strawberry.field(description="`choice` or `text`.")
    action_text: str = strawberry.field(description="The choice id, or what the player said.")
    steps: JSON = strawberry.field(
        description="What happened: choice, flag, metric, scene, narrative, ending steps."
    )
    snapshot_before_hash: str = strawberry.field(
        description="SHA-256 (hex) of the sorted-key JSON state before the turn."
    )
    snapshot_after_hash: str = strawberry.field(description="The same, after the turn.")
    created_at: datetime = strawberry.field(description="When it was applied.")


@strawberry.type(
    description="A run of a visual novel: the current scene, phase, visible characters, "
    "flags, metrics and the choices offered. Choose (`visualNovelRunChoose`) or, in text "
    "mode, say something (`visualNovelRunSay`): the AI writes narrative and may pick one of "
    "the offered choices, never flags, metrics or endings. A `win` ending WINS, a `lose` "
    "ending LOSES (BAD_ENDING)."
)
class VisualNovelRun(Run):
    current_scene_id: str = strawberry.field(description="The scene the run is in.")
    current_phase_id: str = strawberry.field(description="Its phase ('' without one).")
    visible_character_ids: list[str] = strawberry.field(description="Characters on stage.")
    flags: JSON = strawberry.field(description="Flags set so far (name: bool; unset is false).")
    metrics: JSON = strawberry.field(description="Metrics so far (name: int; unset is 0).")
    available_choices: list[VisualNovelRunChoice] = strawberry.field(
        description="The choices offered now (empty at an ending)."
    )
    narrative: str = strawberry.field(description="The latest narrative (scene text or AI).")
    turn_index: int = strawberry.field(description="Turns applied so far.")
    ending_id: str | None = strawberry.field(description="The ending reached, if any.")
    text_mode_enabled: bool = strawberry.field(description="Whether `visualNovelRunSay` works.")
    pending_task_id: strawberry.ID | None = strawberry.field(
        description="The AI task of the text turn being answered (follow it on "
        "`aiTaskEvents`); null when no turn is pending."
    )

    @classmethod
    def from_run(
        cls,
        run: runs_model.Run,
        state: VisualNovelRunStateRow | None,
        loaders: RunLoaders,
    ) -> VisualNovelRun:
        return cls(**Run.run_fields(run, loaders), **_state_fields(state))

    @strawberry.field(
        description="The run's history entries, by turn (a regenerated turn's newer entry "
        "after the older). One statement for all the runs of a list."
    )
    async def history(self) -> list[VisualNovelHistoryEntry]:
        return [
            VisualNovelHistoryEntry(
                entry_id=strawberry.ID(row.entry_id),
                turn_index=row.turn_index,
                source=row.source.value,
                action_text=row.action_text,
                steps=JSON(row.steps_json),
                snapshot_before_hash=row.snapshot_before_hash,
                snapshot_after_hash=row.snapshot_after_hash,
                created_at=row.created_at,
            )
            for row in await _history_loader(self.loaders).load(str(self.run_id))
        ]


def _state_fields(row: VisualNovelRunStateRow | None) -> dict[str, Any]:
    """The run's own fields from its state row (those of a run without one: empty)."""
    if row is None:
        return {
            "current_scene_id": "",
            "current_phase_id": "",
            "visible_character_ids": [],
            "flags": JSON({}),
            "metrics": JSON({}),
            "available_choices": [],
            "narrative": "",
            "turn_index": 0,
            "ending_id": None,
            "text_mode_enabled": False,
            "pending_task_id": None,
        }
    return {
        "current_scene_id": row.current_scene_id,
        "current_phase_id": row.current_phase_id,
        "visible_character_ids": list(row.visible_character_ids),
        "flags": JSON(row.flags_json or {}),
        "metrics": JSON(row.metrics_json or {}),
        "available_choices": [
            VisualNovelRunChoice(choice_id=strawberry.ID(c.choice_id), label=c.label)
            for c in row.available_choices
        ],
        "narrative": row.narrative,
        "turn_index": row.turn_index,
        "ending_id": row.ending_id,
        "text_mode_enabled": row.text_mode_enabled,
        "pending_task_id": strawberry.ID(row.pending_task_id) if row.pending_task_id else None,
    }


# One history loader per operation's run loaders (a list's runs share it).
_HISTORY_LOADERS: WeakKeyDictionary[
    RunLoaders, DataLoader[str, list[VisualNovelHistoryEntryRow]]
] = WeakKeyDictionary()


def _history_loader(loaders: RunLoaders) -> DataLoader[str, list[VisualNovelHistoryEntryRow]]:
    async def load(run_ids: list[str]) -> list[list[VisualNovelHistoryEntryRow]]:
        found = await history_store.entries_of(run_ids)
        return [found[run_id] for run_id in run_ids]

    if loaders not in _HISTORY_LOADERS:
        _HISTORY_LOADERS[loaders] = DataLoader(load_fn=load)
    return _HISTORY_LOADERS[loaders]


@strawberry.type(description="What a visual-novel run action did.")
class VisualNovelRunActionPayload:
    errors: list[RunErrorType] = strawberry.field(
        description="Empty on success; otherwise why nothing was written (ILLEGAL_MOVE: a "
        "choice not offered now, or text without text mode; TURN_IN_PROGRESS; "
        "REGENERATE_TOO_OLD; HISTORY_DIVERGED; SNAPSHOT_STALE; RUN_FINISHED)."
    )
    run: VisualNovelRun | None = strawberry.field(
        description="The run after the action; null when refused."
    )
    current_snapshot_version: int | None = strawberry.field(
        default=None,
        description="On a SNAPSHOT_STALE or RUN_FINISHED refusal: the run's current "
        "`snapshotVersion`; null otherwise.",
    )


async def _act(info: Info, run_id: str, version: int, action: dict[str, Any]) -> Any:
    await narration.settle_run(run_id)
    run = await lifecycle.act(
        viewer=info.context.principal,
        run_id=run_id,
        expected_snapshot_version=version,
        action=action,
        play_type=PlayType.VISUAL_NOVEL,
    )
    (built,) = await build_runs([run], info)
    assert isinstance(built, VisualNovelRun)
    if built.pending_task_id is not None:
        await creating.announce_queued(str(built.pending_task_id))  # wake the workers
    return VisualNovelRunActionPayload(errors=[], run=built)


VERSION = "The run's `snapshotVersion` this action was made on."


@strawberry.type
class VisualNovelRunMutation:
    @strawberry.mutation(
        description="Choose one of the choices your run offers now: its effects on flags "
        "and metrics apply, then the next scene or the ending (a `win` ending wins the run, "
        "a `lose` one loses it). A choice not offered is ILLEGAL_MOVE; one turn at a time "
        "(TURN_IN_PROGRESS while a text turn is answered).",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def visual_novel_run_choose(
        self,
        info: Info,
        run_id: Annotated[strawberry.ID, strawberry.argument(description=RUN_ID)],
        choice_id: Annotated[strawberry.ID, strawberry.argument(description="The choice.")],
        expected_snapshot_version: Annotated[int, strawberry.argument(description=VERSION)],
    ) -> VisualNovelRunActionPayload:
        action = {"kind": "choose", "choiceId": str(choice_id)}
        payload: VisualNovelRunActionPayload = await _act(
            info, run_object_id(str(run_id)), expected_snapshot_version, action
        )
        return payload

    @strawberry.mutation(
        description="Text mode: say something (1 to 500 characters). An AI task answers "
        "(`run.pendingTaskId`, streamed on `aiTaskEvents`); when it finishes the turn is "
        "applied: its narrative, and at most one of the choices offered now. The AI never "
        "sets flags, metrics or endings. A second turn while one is pending is "
        "TURN_IN_PROGRESS; a work without text mode is ILLEGAL_MOVE.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def visual_novel_run_say(
        self,
        info: Info,
        run_id: Annotated[strawberry.ID, strawberry.argument(description=RUN_ID)],
        text: Annotated[str, strawberry.argument(description="What you say, 1 to 500 chars.")],
        expected_snapshot_version: Annotated[int, strawberry.argument(description=VERSION)],
    ) -> VisualNovelRunActionPayload:
        action = {"kind": "say", "text": text}
        payload: VisualNovelRunActionPayload = await _act(
            info, run_object_id(str(run_id)), expected_snapshot_version, action
        )
        return payload

    @strawberry.mutation(
        description="Regenerate turn `turnIndex`: the run goes back to the state before it "
        "(kept for its last 20 turns, else REGENERATE_TOO_OLD; its hash must match the "
        "turn's history entry, else HISTORY_DIVERGED) and the turn is made again (a choice "
        "again, a text turn asks the AI again), writing a new history entry.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def visual_novel_run_regenerate(
        self,
        info: Info,
        run_id: Annotated[strawberry.ID, strawberry.argument(description=RUN_ID)],
        turn_index: Annotated[int, strawberry.argument(description="The turn, from 1.")],
        expected_snapshot_version: Annotated[
            int | None,
            strawberry.argument(description=VERSION + " Null: the run's current version."),
        ] = None,
    ) -> VisualNovelRunActionPayload:
        raw_id = run_object_id(str(run_id))
        if expected_snapshot_version is None:
            viewer = info.context.principal.require_user()
            current = await owned_run(raw_id, viewer, PlayType.VISUAL_NOVEL)
            expected_snapshot_version = current.snapshot_version
        action = {"kind": "regenerate", "turnIndex": turn_index}
        payload: VisualNovelRunActionPayload = await _act(
            info, raw_id, expected_snapshot_version, action
        )
        return payload
