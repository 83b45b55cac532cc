"""Expected failures of the square-hole domain."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from resolvers.errors import DomainError
from resolvers.play_types.gates import Blocker


class SquareHoleErrorCode(StrEnum):
    SEED_INVALID = "SEED_INVALID"
    DRAFT_INVALID = "DRAFT_INVALID"
    PUBLISH_BLOCKED = "PUBLISH_BLOCKED"
    ALREADY_PUBLISHED = "ALREADY_PUBLISHED"
    NOT_PUBLISHED = "NOT_PUBLISHED"


class SquareHoleError(DomainError):
    """An expected square-hole failure (`code` is a `SquareHoleErrorCode`)."""


class SquareHolePublishBlocked(SquareHoleError):
    """The publish gate found blockers: nothing was written."""

    def __init__(self, blockers: Sequence[Blocker]) -> None:
        super().__init__(
            SquareHoleErrorCode.PUBLISH_BLOCKED,
            "The work is not ready: " + "; ".join(blocker.message for blocker in blockers),
        )
        self.blockers = list(blockers)
