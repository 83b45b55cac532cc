"""The run vocabulary shared by every play type."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from resolvers.gallery.play_types import PlayType
from subscriptions.streams import StreamEntry

# A PLAY run counts one play of its work per (user, work) within this window.
PLAY_COUNT_WINDOW_SECONDS = 600
# A play type without a time limit (`RunRules.time_limit_ms()` returns it): its runs have
# `duration_limit_ms` 0 and `deadline_at` NO_DEADLINE, so the guards (`deadline_at > now`)
# and the run limit's count work unchanged and no sweep ever expires them.
NO_TIME_LIMIT = 0
NO_DEADLINE = datetime(9999, 1, 1, tzinfo=UTC)


class RunMode(StrEnum):
    """PLAY: a published work, counted (plays, leaderboards, played works, play time).
    TEST: the owner's own draft; counts nothing."""

    PLAY = "play"
    TEST = "test"


class RunStatus(StrEnum):
    """RUNNING: its clock runs; PAUSED: its clock is stopped (a play type whose time the
    server drives paused it, resolvers/runs/server_clock.py): it does not expire, and the
    paused time is not played time; then one of the ends."""

    RUNNING = "running"
    PAUSED = "paused"
    WON = "won"
    LOST = "lost"
    ABANDONED = "abandoned"
    EXPIRED = "expired"


# Not finished: they count against RUN_LIMIT.
UNFINISHED_STATUSES = frozenset({RunStatus.RUNNING, RunStatus.PAUSED})
FINISHED_STATUSES = frozenset(
    {RunStatus.WON, RunStatus.LOST, RunStatus.ABANDONED, RunStatus.EXPIRED}
)


class RunReason(StrEnum):
    """Why a run ended (null while it runs). Play types may add their own LOST reasons as
    plain strings; these are the framework's."""

    COMPLETED = "COMPLETED"  # WON: the play type's goal was reached
    ABANDONED = "ABANDONED"  # runAbandon
    TIME_UP = "TIME_UP"  # EXPIRED: the server's clock passed the time limit


class RunEventKind(StrEnum):
    """What a run event records (`runEvents`)."""

    STARTED = "started"
    ACTION = "action"
    FINISHED = "finished"


def run_stream(run_id: str) -> str:
    """The run's event stream (`runEvents`): every applied change, numbered."""
    return f"run:{run_id}"


@dataclass(frozen=True, slots=True)
class Run:
    """A run's framework row (`runs_run`): the life cycle every play type shares."""

    run_id: str
    play_type: PlayType
    work_id: str
    owner_user_id: str
    mode: RunMode
    status: RunStatus
    reason: str | None
    snapshot_version: int
    started_at: datetime
    deadline_at: datetime
    duration_limit_ms: int
    finished_at: datetime | None
    elapsed_ms: int | None
    updated_at: datetime
    # While PAUSED (or ended while paused): when its clock stopped; None otherwise.
    paused_at: datetime | None = None
    # Milliseconds spent PAUSED before the current pause (added, and the deadline pushed
    # by as much, when a pause ends).
    paused_ms: int = 0

    @property
    def finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def time_limited(self) -> bool:
        return self.duration_limit_ms != NO_TIME_LIMIT

    def elapsed_at(self, moment: datetime) -> int:
        """Milliseconds played at `moment`: the recorded value once finished, else the time
        since the start up to `moment` (or the current pause's start), minus the time spent
        paused, never beyond the limit."""
        if self.elapsed_ms is not None:
            return self.elapsed_ms
        end = min(moment, self.paused_at) if self.paused_at is not None else moment
        end = min(end, self.deadline_at)
        played = int((end - self.started_at).total_seconds() * 1000) - self.paused_ms
        if self.time_limited:
            played = min(played, self.duration_limit_ms)
        return max(0, played)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a play type's rules made of one action (applied inside the run's transaction,
    after the version guard): the event's payload for `runEvents`, and the end of the run
    when the action ended it (`status` WON or LOST with a `reason`), and the stream entries
    the play type numbered in that transaction (e.g. a puzzle leaderboard's improvement),
    which the framework publishes after commit."""

    event: dict[str, Any] = field(default_factory=dict)
    status: RunStatus | None = None
    reason: str | None = None
    entries: list[StreamEntry] = field(default_factory=list)
