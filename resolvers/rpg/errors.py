"""Refusals of part 2's actions (battles, treasure, quests): `RpgError` + `RpgErrorCode`.

The codes extend the run framework's (`RunErrorCode`: a stale version, a finished run, …,
which the same actions can raise) with the rules of battles, treasure and quests. Raised
inside the run's transaction, so nothing is written on a refusal.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from resolvers.errors import DomainError


class RpgErrorCode(StrEnum):
    # the run framework's codes (resolvers/runs/errors.py) these actions can meet
    SNAPSHOT_STALE = "SNAPSHOT_STALE"
    RUN_FINISHED = "RUN_FINISHED"
    RUN_PAUSED = "RUN_PAUSED"
    ILLEGAL_MOVE = "ILLEGAL_MOVE"
    ACTION_INVALID = "ACTION_INVALID"
    TURN_IN_PROGRESS = "TURN_IN_PROGRESS"
    # part 2
    BATTLE_FINISHED = "BATTLE_FINISHED"  # acting in a battle that was won, lost or fled
    BATTLE_IN_PROGRESS = "BATTLE_IN_PROGRESS"  # a battle or a treasure open during a battle
    TREASURE_ALREADY_OPENED = "TREASURE_ALREADY_OPENED"  # a second open of an encounter
    QUEST_ALREADY_ACCEPTED = "QUEST_ALREADY_ACCEPTED"
    QUEST_NOT_ACCEPTED = "QUEST_NOT_ACCEPTED"
    QUEST_NOT_COMPLETED = "QUEST_NOT_COMPLETED"  # turning in before every step is done
    QUEST_ALREADY_TURNED_IN = "QUEST_ALREADY_TURNED_IN"


class RpgError(DomainError):
    """A refused battle, treasure or quest action; nothing was written."""

    def __init__(self, code: RpgErrorCode, message: str, *, field: str | None = None) -> None:
        super().__init__(code, message, field=field)

    def payload_values(self) -> Mapping[str, Any]:
        return {"current_snapshot_version": None}
