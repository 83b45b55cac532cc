"""The run vocabulary shared by every play type."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from resolvers.gallery.play_types import PlayType

# At most this many unfinished runs per user (RUNNING), every play type together.
RUN_LIMIT = 20
# A PLAY run counts one play of its work per (user, work) within this window.
PLAY_COUNT_WINDOW_SECONDS = 600
# Event streams of runs finished longer ago than this are purged.
EVENT_RETENTION_DAYS = 30


class RunMode(StrEnum):
    """PLAY: a published work, counted (plays, leaderboards, played works, play time).
    TEST: the owner's own draft; counts nothing."""

    PLAY = "play"
    TEST = "test"


class RunStatus(StrEnum):
    RUNNING = "running"
    WON = "won"
    LOST = "lost"
    ABANDONED = "abandoned"
    EXPIRED = "expired"


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

    @property
    def finished(self) -> bool:
        return self.status in FINISHED_STATUSES


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a play type's rules made of one action (applied inside the run's transaction,
    after the version guard): the event's payload for `runEvents`, and the end of the run
    when the action ended it (`status` WON or LOST with a `reason`)."""

    event: dict[str, Any] = field(default_factory=dict)
    status: RunStatus | None = None
    reason: str | None = None
