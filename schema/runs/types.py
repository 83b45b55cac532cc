"""The `Run` interface every play type's run implements, its events, played works, and the
registry of the concrete run types.

A play type with runs declares its concrete type (`PuzzleRun`, …) as a `@strawberry.type`
subclassing `Run`, adds its state's fields and overrides `from_run` (start from
`Run.run_fields(run, loaders)`, add the fields read from `state`, the play type's
`RunRules.states()` entry of the run). It is listed in `schema/play_types.py`
(`RUN_TYPES`), which `build_schema` installs here with `register_run_type`.

Every `Run` is a relay `Node` (`<TypeName>:<runId>`) that only its owner can read:
`node(id:)` expires a run whose time is up before answering, and answers null for a
missing run or another user's. Lists build their runs with `build_runs`: one statement
per play type for the states, one per play type for the works.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, TypeVar

import strawberry
from strawberry import relay
from strawberry.dataloader import DataLoader
from strawberry.scalars import JSON

from resolvers import clock
from resolvers.gallery.play_types import PlayType
from resolvers.runs import model
from resolvers.runs.errors import RunErrorCode
from resolvers.runs.model import RunEventKind, RunMode, RunStatus
from resolvers.runs.reading import run_for_viewer, states_of
from resolvers.runs.rows import RunEventRow
from schema.context import Info
from schema.gallery.work import Work, work_type_for
from schema.ids import object_id

strawberry.enum(
    RunMode,
    description="PLAY: a published work; counts a play, the played work and play time. "
    "TEST: your own draft; counts nothing.",
)
strawberry.enum(
    RunStatus,
    description="RUNNING until the run ends: WON, LOST (by the rules), ABANDONED "
    "(`runAbandon`) or EXPIRED (the time limit passed). PAUSED: its clock is stopped (a "
    "play type whose server drives the time paused it, e.g. a big-fish run nobody "
    "watches); it does not expire and its paused time is not played time.",
)
strawberry.enum(
    RunEventKind,
    description="STARTED (the run began), ACTION (an applied action), FINISHED (it ended).",
)
strawberry.enum(
    RunErrorCode,
    description="Why a run mutation did nothing: PLAY_TYPE_UNSUPPORTED, RUN_LIMIT_REACHED "
    "(20 unfinished runs, PAUSED ones included), SNAPSHOT_STALE (see "
    "`currentSnapshotVersion`), RUN_FINISHED, RUN_PAUSED (an action on a paused run), "
    "ILLEGAL_MOVE, ACTION_INVALID, NOT_PLAYABLE (a draft whose game is incomplete).",
)

R = TypeVar("R", bound="Run")


@strawberry.type(name="RunError", description="Why a run mutation did nothing.")
class RunErrorType:
    code: RunErrorCode = strawberry.field(description="Machine-readable reason.")
    field: str | None = strawberry.field(description="The input field at fault, if any.")
    message: str = strawberry.field(description="Human-readable explanation.")


class RunLoaders:
    """Per-operation loaders of runs (one per root field or payload): their works, by play
    type, through each play type's `Work.resolve_nodes` (one batch per play type)."""

    def __init__(self, info: Info) -> None:
        self.info = info
        self.now = clock.now()
        self.works = DataLoader[tuple[PlayType, str], Work | None](load_fn=self._works)

    async def _works(self, keys: list[tuple[PlayType, str]]) -> list[Work | None]:
        by_type: dict[PlayType, list[str]] = {}
        for play_type, work_id in keys:
            by_type.setdefault(play_type, []).append(work_id)
        found: dict[tuple[PlayType, str], Work | None] = {}
        for play_type, work_ids in by_type.items():
            cls = work_type_for(play_type)
            if cls is None:
                continue
            works = await cls.resolve_nodes(info=self.info, node_ids=work_ids)
            for work_id, work in zip(work_ids, works, strict=True):
                found[(play_type, work_id)] = work
        return [found.get(key) for key in keys]


@strawberry.interface(
    description="A run of a work of any play type, refereed by the server: every action "
    "names the `snapshotVersion` it was made on. Only its player can read it (a missing "
    "run and another user's read alike). Each play type's concrete type adds its state."
)
class Run(relay.Node):
    node_run_id: relay.NodeID[str]
    run_id: strawberry.ID = strawberry.field(
        description="The run's own id (a ULID); mutations and `runEvents` take it."
    )
    play_type: PlayType = strawberry.field(description="The play type of the run's work.")
    work_id: strawberry.ID = strawberry.field(description="The `workId` of the work played.")
    mode: RunMode = strawberry.field(description="PLAY (a published work) or TEST (your draft).")
    status: RunStatus = strawberry.field(description="RUNNING, PAUSED, or how it ended.")
    reason: str | None = strawberry.field(
        description="Why it ended (COMPLETED, ABANDONED, TIME_UP, or the play type's own "
        "reason for a loss); null while RUNNING."
    )
    snapshot_version: int = strawberry.field(
        description="0 at the start; one more with every applied action (and when it is "
        "abandoned or expires). An action must name the current one."
    )
    started_at: datetime = strawberry.field(description="When the run started.")
    deadline_at: datetime = strawberry.field(
        description="When its time is up: `startedAt` + `durationLimitMs` + the time it "
        "spent PAUSED. A play type without a time limit (big fish, story "
        "sessions): 9999-01-01T00:00:00Z."
    )
    duration_limit_ms: int = strawberry.field(
        description="Its time limit in milliseconds (a setting of the play type, fixed at "
        "the start); 0: no time limit (big fish, story sessions)."
    )
    finished_at: datetime | None = strawberry.field(
        description="When it ended (an expired run: its deadline); null while RUNNING."
    )
    elapsed_ms: int = strawberry.field(
        description="Milliseconds played: from the start until now while RUNNING (until "
        "the pause while PAUSED), minus the time spent PAUSED, at most `durationLimitMs` "
        "when there is a limit."
    )

    run: strawberry.Private[model.Run]
    loaders: strawberry.Private[RunLoaders]

    @strawberry.field(
        description="The work played, as you may see it now (null if it was unpublished "
        "since, or its play type has no work type)."
    )
    async def work(self) -> Work | None:
        return await self.loaders.works.load((self.run.play_type, self.run.work_id))

    @staticmethod
    def run_fields(run: model.Run, loaders: RunLoaders) -> dict[str, Any]:
        """Constructor arguments of the `Run` part (add your type's fields and call
        `YourRun(**fields, …)`)."""
        return {
            "node_run_id": run.run_id,
            "run_id": strawberry.ID(run.run_id),
            "play_type": run.play_type,
            "work_id": strawberry.ID(run.work_id),
            "mode": run.mode,
            "status": run.status,
            "reason": run.reason,
            "snapshot_version": run.snapshot_version,
            "started_at": run.started_at,
            "deadline_at": run.deadline_at,
            "duration_limit_ms": run.duration_limit_ms,
            "finished_at": run.finished_at,
            "elapsed_ms": run.elapsed_at(loaders.now),
            "run": run,
            "loaders": loaders,
        }

    @classmethod
    def from_run(cls: type[R], run: model.Run, state: Any, loaders: RunLoaders) -> R:
        """The run as this type, from its framework row and its play type's state row
        (`RunRules.states()`; None when the run has none). Override with the state's type
        to add its fields."""
        return cls(**Run.run_fields(run, loaders))

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Run | None]:
        """The viewer's runs of this type; None for anyone else's or a missing one."""
        play_type = run_play_type_of(cls)
        found: list[model.Run | None] = []
        for run_id in node_ids:
            run = await run_for_viewer(viewer=info.context.principal, run_id=run_id)
            found.append(run if run is not None and run.play_type is play_type else None)
        built = iter(await build_runs([run for run in found if run is not None], info))
        return [next(built) if run is not None else None for run in found]


@strawberry.type(
    description="One applied change of a run, with its per-run `sequence` (replay from "
    "a cursor with `runEvents(after:)`)."
)
class RunEvent:
    sequence: int = strawberry.field(description="Position in the run's stream, from 1.")
    event_id: strawberry.ID = strawberry.field(description="The event's id.")
    run_id: strawberry.ID = strawberry.field(description="The run it belongs to.")
    kind: RunEventKind = strawberry.field(description="STARTED, ACTION or FINISHED.")
    snapshot_version: int = strawberry.field(description="The run's version after it.")
    status: RunStatus = strawberry.field(description="The run's status after it.")
    reason: str | None = strawberry.field(description="Why it ended (FINISHED events).")
    action: JSON = strawberry.field(
        description="ACTION events: the action as applied (the play type's fields); {} for "
        "the others."
    )
    payload: JSON = strawberry.field(
        description="What the rules made of it (the play type's fields; FINISHED: `elapsedMs`)."
    )
    occurred_at: datetime = strawberry.field(description="When it was applied.")

    @classmethod
    def from_row(cls, row: RunEventRow, sequence: int) -> RunEvent:
        return cls(
            sequence=sequence,
            event_id=strawberry.ID(row.event_id),
            run_id=strawberry.ID(row.run_id),
            kind=row.event_kind,
            snapshot_version=row.snapshot_version,
            status=row.status,
            reason=row.reason,
            action=row.action_json,
            payload=row.payload_json,
            occurred_at=row.occurred_at,
        )


_run_types: dict[PlayType, type[Run]] = {}
# Tests only: a stand-in run type for a play type (tests/runs/fake.py), ahead of its own.
_test_run_types: dict[PlayType, type[Run]] = {}


def register_run_type(play_type: PlayType, cls: type[Run]) -> None:
    """Declare `cls` (a `@strawberry.type` implementing `Run`) as `play_type`'s run type;
    the same one again is a no-op, another one raises `ValueError`."""
    play_type = PlayType(play_type)
    if not (isinstance(cls, type) and issubclass(cls, Run)) or cls is Run:
        raise TypeError(f"{cls!r} must be a concrete type implementing Run")
    existing = _run_types.get(play_type)
    if existing is not None and existing is not cls:
        raise ValueError(f"{play_type} already has run type {existing.__name__}")
    _run_types[play_type] = cls


def unregister_run_type(play_type: PlayType) -> None:
    """Forget a play type's run type (tests only)."""
    _run_types.pop(PlayType(play_type), None)


def run_type_for(play_type: PlayType | str) -> type[Run] | None:
    kind = PlayType(play_type)
    return _test_run_types.get(kind) or _run_types.get(kind)


def stand_in_run_type(play_type: PlayType | str) -> type[Run] | None:
    """The run type a test registered for `play_type` with `register_run_type_for_tests`."""
    return _test_run_types.get(PlayType(play_type))


def register_run_type_for_tests(play_type: PlayType, cls: type[Run] | None) -> None:
    """Tests only: `cls` stands in for `play_type`'s run type (None: no more)."""
    if cls is None:
        _test_run_types.pop(PlayType(play_type), None)
    else:
        _test_run_types[PlayType(play_type)] = cls


def run_play_type_of(cls: type[Run]) -> PlayType | None:
    for registry in (_test_run_types, _run_types):
        for play_type, registered in registry.items():
            if registered is cls:
                return play_type
    return None


def registered_run_types() -> list[type[Run]]:
    """Every registered run type (schema/build.py lists them in the schema's types)."""
    found = [_run_types[play_type] for play_type in PlayType if play_type in _run_types]
    return found + [cls for cls in _test_run_types.values() if cls not in found]


def run_object_id(value: str) -> str:
    """The run id an argument names: the raw `runId`, or the global id of a run of any
    play type; another type's global id is BAD_USER_INPUT."""
    return object_id(value, *registered_run_types())


async def build_runs(runs: Sequence[model.Run], info: Info) -> list[Run | None]:
    """The runs as their play types' types, with their states (one statement per play
    type), in order; None for a run whose play type has no registered run type."""
    loaders = RunLoaders(info)
    states = await states_of(runs)
    built: list[Run | None] = []
    for run in runs:
        cls = run_type_for(run.play_type)
        built.append(cls.from_run(run, states.get(run.run_id), loaders) if cls else None)
    return built
