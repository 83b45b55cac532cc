"""`RunRules`: the run half of the play-type contract.

The framework (`resolvers/runs/lifecycle.py`) owns what every run shares: the `runs_run`
row (status, mode, snapshot version, timing), the version guard, expiry, plays, played
works, play time and the per-run event stream. A play type owns its state (its catalog
table, e.g. `puzzle_runtime_run`) and its rules, through these methods. A plugin that
supports runs sets `PlayTypePlugin.runs` to its `RunRules`.

Every method that writes runs inside the framework's transaction, after the framework
took the run's row lock (the version guard's conditional UPDATE), so a play type never
races itself on one run. Raising `RunError` (e.g. ILLEGAL_MOVE) rolls everything back: no
row, no event, no version bump.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, Generic, TypeVar

from resolvers.gallery.play_types import PlayType
from resolvers.runs.model import Outcome, Run, RunMode
from subscriptions.streams import StreamEntry


@dataclass(frozen=True, slots=True)
class PlayableWork:
    """A work a run can start on, as its play type found it: `content` is what the rules
    need to set the run up (a puzzle's levels), `title`/`subtitle` what played-work lists
    show."""

    work_id: str
    owner_user_id: str
    title: str
    subtitle: str
    content: Any
    # The work's own time limit, for play types whose works choose one (Match3D); None:
    # the rules' `time_limit_ms()`.
    time_limit_ms: int | None = None


StateT = TypeVar("StateT")


class RunRules(ABC, Generic[StateT]):
    """One play type's run rules. Subclass, fill in, set it as its plugin's `runs`.
    `StateT` is the type's run state as `states()` reads it (a frozen row)."""

    play_type: ClassVar[PlayType]
    # True: the server drives the runs' time (it ends, pauses and resumes them through
    # resolvers/runs/server_clock.py) and clients have no actions for `lifecycle.act`,
    # so the action-by-action run contract suite does not apply.
    server_clock: ClassVar[bool] = False

    @abstractmethod
    def time_limit_ms(self) -> int:
        """The run's time limit (a setting of the play type, read when a run starts);
        `NO_TIME_LIMIT` (0, resolvers/runs/model.py): none."""

    @abstractmethod
    async def playable_work(
        self, *, work_id: str, mode: RunMode, user_id: str
    ) -> PlayableWork | None:
        """The work to play: in PLAY mode a published work (anyone's); in TEST mode the
        user's own draft (its session's current draft). None: there is none (NOT_FOUND)."""

    @abstractmethod
    async def start(self, *, run: Run, work: PlayableWork, now: datetime) -> dict[str, Any]:
        """Write the play type's state for the new run (deterministic in a seed kept in
        it); returns the STARTED event's payload."""

    @abstractmethod
    async def apply(self, *, run: Run, action: Mapping[str, Any], now: datetime) -> Outcome:
        """Apply one action to the run's state (`run.snapshot_version` is already the new
        version). Raise `RunError(ILLEGAL_MOVE)` for a move the rules refuse."""

    async def on_finished(self, *, run: Run, now: datetime) -> list[StreamEntry]:
        """Bookkeeping of the play type when a run ends (any status), in the finishing
        transaction; returns stream entries to publish after commit. Default: nothing."""
        return []

    @abstractmethod
    async def states(self, run_ids: Sequence[str]) -> dict[str, StateT]:
        """The play type's state of each run (one statement), for reading."""

    # --- for tests and benchmarks ---------------------------------------------------------

    @abstractmethod
    def winning_actions(self, state: StateT) -> list[dict[str, Any]]:
        """Actions that win the run from `state` (one of `states()`), in order: the contract
        tests and bench/runs.py play with them."""

    @abstractmethod
    def illegal_action(self, state: StateT) -> dict[str, Any]:
        """An action the rules refuse with ILLEGAL_MOVE in `state`."""
