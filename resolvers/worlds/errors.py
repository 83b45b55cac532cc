"""Expected failures of the worlds domain. Publish blockers are errors too: a refused
publish (or a change that would unpublish-by-breakage a published world) reports each
blocker as one error with the blocker's code."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from resolvers.errors import DomainError
from resolvers.play_types.gates import Blocker
from resolvers.worlds.model import BlockerCode

NOT_FOUND_SESSION = "No such custom world session."
NOT_FOUND_WORLD = "No such custom world."
NOT_FOUND_CARD = "No such draft card."


class WorldErrorCode(StrEnum):
    # Inputs
    SEED_INVALID = "SEED_INVALID"
    MESSAGE_INVALID = "MESSAGE_INVALID"
    ANCHOR_INVALID = "ANCHOR_INVALID"
    NAME_INVALID = "NAME_INVALID"
    SUBTITLE_INVALID = "SUBTITLE_INVALID"
    SUMMARY_INVALID = "SUMMARY_INVALID"
    TAGS_INVALID = "TAGS_INVALID"
    DRAFT_INVALID = "DRAFT_INVALID"
    CARD_FIELD_INVALID = "CARD_FIELD_INVALID"
    SETTING_INVALID = "SETTING_INVALID"
    ANSWER_INVALID = "ANSWER_INVALID"
    # State
    TURN_IN_PROGRESS = "TURN_IN_PROGRESS"
    ANSWERS_MISSING = "ANSWERS_MISSING"
    ALREADY_GENERATED = "ALREADY_GENERATED"
    ALREADY_PUBLISHED = "ALREADY_PUBLISHED"
    NOT_PUBLISHED = "NOT_PUBLISHED"
    # Publish gate (one error per blocker)
    WORLD_NAME_MISSING = BlockerCode.WORLD_NAME_MISSING.value
    ANCHOR_MISSING = BlockerCode.ANCHOR_MISSING.value
    NO_PLAYABLE_CHARACTER = BlockerCode.NO_PLAYABLE_CHARACTER.value
    NO_LANDMARK = BlockerCode.NO_LANDMARK.value
    COVER_MISSING = BlockerCode.COVER_MISSING.value
    COVER_NOT_IMAGE = BlockerCode.COVER_NOT_IMAGE.value
    COVER_NOT_PUBLIC = BlockerCode.COVER_NOT_PUBLIC.value


class WorldError(DomainError):
    """An expected worlds failure (`code` is a `WorldErrorCode`); nothing was written."""


class PublishBlocked(WorldError):
    """The publish gate refused: `blockers` lists every reason (nothing was written)."""

    def __init__(self, blockers: Sequence[Blocker], message: str, *, note: str = "") -> None:
        super().__init__(WorldErrorCode(blockers[0].code.value), message, field=blockers[0].field)
        self.blockers = list(blockers)
        self.note = note

    def errors(self) -> list[WorldError]:
        """One error per blocker, for the payload's `errors`."""
        return [
            WorldError(
                WorldErrorCode(blocker.code.value),
                f"{blocker.message} {self.note}".strip(),
                field=blocker.field,
            )
            for blocker in self.blockers
        ]
