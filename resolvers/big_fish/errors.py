"""Expected failures of the big-fish domain."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from resolvers.errors import AccessError, DomainError
from resolvers.play_types.gates import Blocker


class BigFishErrorCode(StrEnum):
    SEED_INVALID = "SEED_INVALID"
    DRAFT_INVALID = "DRAFT_INVALID"
    PUBLISH_BLOCKED = "PUBLISH_BLOCKED"
    ALREADY_PUBLISHED = "ALREADY_PUBLISHED"
    NOT_PUBLISHED = "NOT_PUBLISHED"
    NOT_PLAYABLE = "NOT_PLAYABLE"
    RUN_FINISHED = "RUN_FINISHED"
    RUN_LIMIT_REACHED = "RUN_LIMIT_REACHED"


class BigFishError(DomainError):
    """An expected big-fish failure (`code` is a `BigFishErrorCode`)."""


class BigFishPublishBlocked(BigFishError):
    """The publish gate found blockers: nothing was written but the gate's event."""

    def __init__(self, blockers: Sequence[Blocker]) -> None:
        super().__init__(
            BigFishErrorCode.PUBLISH_BLOCKED,
            "The work is not ready: " + "; ".join(blocker.message for blocker in blockers),
        )
        self.blockers = list(blockers)


class BigFishRateLimited(AccessError):
    """More inputs to one run within a second than `BIG_FISH_INPUTS_PER_SECOND`."""

    code = "RATE_LIMITED"
    default_message = "Too many inputs for this run: at most 30 a second."
