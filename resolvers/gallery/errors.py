"""Expected failures of the gallery domain."""

from enum import StrEnum

from resolvers.errors import DomainError


class GalleryErrorCode(StrEnum):
    WORK_NOT_FOUND = "WORK_NOT_FOUND"
    TITLE_INVALID = "TITLE_INVALID"
    SUMMARY_INVALID = "SUMMARY_INVALID"
    THEME_INVALID = "THEME_INVALID"
    TAGS_INVALID = "TAGS_INVALID"
    WORK_ID_INVALID = "WORK_ID_INVALID"


class GalleryError(DomainError):
    """An expected gallery failure (`code` is a `GalleryErrorCode`)."""
