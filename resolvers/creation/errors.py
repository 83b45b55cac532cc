"""Expected failures of the creation framework (shared by every play type)."""

from enum import StrEnum

from resolvers.errors import DomainError


class CreationErrorCode(StrEnum):
    MESSAGE_INVALID = "MESSAGE_INVALID"
    TURN_IN_PROGRESS = "TURN_IN_PROGRESS"
    PLAY_TYPE_UNSUPPORTED = "PLAY_TYPE_UNSUPPORTED"
    SESSION_PUBLISHED = "SESSION_PUBLISHED"


class CreationError(DomainError):
    """An expected creation failure (`code` is a `CreationErrorCode`)."""
