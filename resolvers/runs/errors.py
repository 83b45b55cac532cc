"""Expected failures of runs (payload errors; nothing was written)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from resolvers.errors import DomainError


class RunErrorCode(StrEnum):
    PLAY_TYPE_UNSUPPORTED = "PLAY_TYPE_UNSUPPORTED"  # the play type has no runs yet
    RUN_LIMIT_REACHED = "RUN_LIMIT_REACHED"  # 20 unfinished runs already
    SNAPSHOT_STALE = "SNAPSHOT_STALE"  # expectedSnapshotVersion is not the run's
    RUN_FINISHED = "RUN_FINISHED"  # the run has ended (won, lost, abandoned or expired)
    RUN_PAUSED = "RUN_PAUSED"  # its clock is stopped (a server-clocked run nobody watches)
    NOT_PLAYABLE = "NOT_PLAYABLE"  # the work's game is incomplete (a draft's TEST run)
    ILLEGAL_MOVE = "ILLEGAL_MOVE"  # the rules refuse the action
    ACTION_INVALID = "ACTION_INVALID"  # malformed action
    # An action that completes later (a turn answered by an AI task) is still pending.
    TURN_IN_PROGRESS = "TURN_IN_PROGRESS"
    # Regenerating a turn whose before-snapshot is no longer kept (visual novels: last 20).
    REGENERATE_TOO_OLD = "REGENERATE_TOO_OLD"
    # The kept before-snapshot does not hash to what the turn's history entry recorded.
    HISTORY_DIVERGED = "HISTORY_DIVERGED"


class RunError(DomainError):
    """An expected run failure (`code` is a `RunErrorCode`); nothing was written.
    `current_version` is the run's snapshot version when the refusal knows it (SNAPSHOT_STALE,
    RUN_FINISHED), for the payload."""

    def __init__(
        self,
        code: RunErrorCode,
        message: str,
        *,
        field: str | None = None,
        current_version: int | None = None,
    ) -> None:
        super().__init__(code, message, field=field)
        self.current_version = current_version

    def payload_values(self) -> Mapping[str, Any]:
        """The payload's `currentSnapshotVersion` (null when the refusal does not know it)."""
        return {"current_snapshot_version": self.current_version}
