"""Publish gates: each play type lists what keeps a work from being published.

A gate returns `Blocker`s, each with a code from the play type's enum (COVER_MISSING,
NO_LEVELS, …), the field at fault and a message; an empty list means ready. Publishing
evaluates the gate inside its transaction and refuses while any blocker remains.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Blocker:
    code: StrEnum
    message: str
    # The draft field at fault (`cover`, `levels.2.gridSize`), and the part (a level id).
    field: str | None = None
    part_id: str | None = None
