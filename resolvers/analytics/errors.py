"""Expected failures of the analytics domain."""

from enum import StrEnum

from resolvers.errors import DomainError


class AnalyticsErrorCode(StrEnum):
    DATE_INVALID = "DATE_INVALID"
    RANGE_INVALID = "RANGE_INVALID"
    RANGE_TOO_LONG = "RANGE_TOO_LONG"
    PERIOD_KEY_INVALID = "PERIOD_KEY_INVALID"
    EVENT_KEY_INVALID = "EVENT_KEY_INVALID"
    EVENT_KEY_RESERVED = "EVENT_KEY_RESERVED"
    SCOPE_INVALID = "SCOPE_INVALID"
    METADATA_TOO_LARGE = "METADATA_TOO_LARGE"


class AnalyticsError(DomainError):
    """An expected analytics failure (`code` is an `AnalyticsErrorCode`)."""
