"""Expected failures of the puzzle domain."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from resolvers.errors import DomainError
from resolvers.play_types.gates import Blocker


class PuzzleErrorCode(StrEnum):
    SEED_INVALID = "SEED_INVALID"
    DRAFT_INVALID = "DRAFT_INVALID"
    PUBLISH_BLOCKED = "PUBLISH_BLOCKED"
    ALREADY_PUBLISHED = "ALREADY_PUBLISHED"
    NOT_PUBLISHED = "NOT_PUBLISHED"


class PuzzleError(DomainError):
    """An expected puzzle failure (`code` is a `PuzzleErrorCode`)."""


class PuzzlePublishBlocked(PuzzleError):
    """The publish gate found blockers: nothing was written."""

    def __init__(self, blockers: Sequence[Blocker]) -> None:
        super().__init__(
            PuzzleErrorCode.PUBLISH_BLOCKED,
            "The work is not ready: " + "; ".join(blocker.message for blocker in blockers),
        )
        self.blockers = list(blockers)
