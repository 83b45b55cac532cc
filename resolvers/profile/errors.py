"""Expected failures of the profile domain."""

from enum import StrEnum

from resolvers.errors import DomainError


class ProfileErrorCode(StrEnum):
    VOLUME_OUT_OF_RANGE = "VOLUME_OUT_OF_RANGE"
    TEXT_INVALID = "TEXT_INVALID"
    STATE_INVALID = "STATE_INVALID"
    STATE_TOO_LARGE = "STATE_TOO_LARGE"
    DESCRIPTION_INVALID = "DESCRIPTION_INVALID"
    PHONE_INVALID = "PHONE_INVALID"
    TOO_MANY_IMAGES = "TOO_MANY_IMAGES"
    IMAGE_INVALID = "IMAGE_INVALID"
    IMAGE_TOO_LARGE = "IMAGE_TOO_LARGE"
    IMAGE_TYPE_UNSUPPORTED = "IMAGE_TYPE_UNSUPPORTED"


class ProfileError(DomainError):
    """An expected profile failure (`code` is a `ProfileErrorCode`)."""
