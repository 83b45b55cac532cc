"""Expected failures of the visual-novel domain."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from resolvers.errors import DomainError
from resolvers.play_types.gates import Blocker


class VisualNovelErrorCode(StrEnum):
    SEED_INVALID = "SEED_INVALID"
    SOURCE_ASSETS_INVALID = "SOURCE_ASSETS_INVALID"
    DRAFT_INVALID = "DRAFT_INVALID"
    PUBLISH_BLOCKED = "PUBLISH_BLOCKED"
    ALREADY_PUBLISHED = "ALREADY_PUBLISHED"
    NOT_PUBLISHED = "NOT_PUBLISHED"


class VisualNovelError(DomainError):
    """An expected visual-novel failure (`code` is a `VisualNovelErrorCode`)."""


class VisualNovelPublishBlocked(VisualNovelError):
    """The publish gate found blockers: nothing was written."""

    def __init__(self, blockers: Sequence[Blocker]) -> None:
        super().__init__(
            VisualNovelErrorCode.PUBLISH_BLOCKED,
            "The work is not ready: " + "; ".join(blocker.message for blocker in blockers),
        )
        self.blockers = list(blockers)
