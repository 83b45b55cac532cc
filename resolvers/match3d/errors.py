"""Expected failures of the Match3D domain."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from resolvers.errors import DomainError
from resolvers.play_types.gates import Blocker


class Match3dErrorCode(StrEnum):
    SEED_INVALID = "SEED_INVALID"
    DRAFT_INVALID = "DRAFT_INVALID"
    PUBLISH_BLOCKED = "PUBLISH_BLOCKED"
    ALREADY_PUBLISHED = "ALREADY_PUBLISHED"
    NOT_PUBLISHED = "NOT_PUBLISHED"


class Match3dError(DomainError):
    """An expected Match3D failure (`code` is a `Match3dErrorCode`)."""


class Match3dPublishBlocked(Match3dError):
    """The publish gate found blockers: nothing was written."""

    def __init__(self, blockers: Sequence[Blocker]) -> None:
        super().__init__(
            Match3dErrorCode.PUBLISH_BLOCKED,
            "The work is not ready: " + "; ".join(blocker.message for blocker in blockers),
        )
        self.blockers = list(blockers)
