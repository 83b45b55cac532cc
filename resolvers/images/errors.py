"""Expected failures of image requests; raised before anything is written (or inside the
queuing transaction, which then writes nothing: no task, no quota used)."""

from enum import StrEnum

from resolvers.errors import DomainError


class ImageErrorCode(StrEnum):
    PROMPT_INVALID = "PROMPT_INVALID"
    SIZE_INVALID = "SIZE_INVALID"
    ENTITY_KIND_UNKNOWN = "ENTITY_KIND_UNKNOWN"
    SLOT_NOT_ALLOWED = "SLOT_NOT_ALLOWED"
    PLAY_TYPE_UNSUPPORTED = "PLAY_TYPE_UNSUPPORTED"
    QUOTA_EXCEEDED = "QUOTA_EXCEEDED"


class ImageError(DomainError):
    """An expected image-request failure (`code` is an `ImageErrorCode`)."""
