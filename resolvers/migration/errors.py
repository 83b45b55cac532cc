"""Expected failures of imports; raised before or inside the importing transaction, so a
refused import changes nothing."""

from enum import StrEnum

from resolvers.errors import DomainError


class MigrationErrorCode(StrEnum):
    UPLOAD_ID_INVALID = "UPLOAD_ID_INVALID"
    CHUNK_INVALID = "CHUNK_INVALID"
    CHUNK_TOO_LARGE = "CHUNK_TOO_LARGE"
    CHUNK_COUNT_MISMATCH = "CHUNK_COUNT_MISMATCH"
    UPLOAD_NOT_FOUND = "UPLOAD_NOT_FOUND"
    CHUNK_MISSING = "CHUNK_MISSING"
    FORMAT_INVALID = "FORMAT_INVALID"
    UNKNOWN_TABLE = "UNKNOWN_TABLE"
    CHECKSUM_MISMATCH = "CHECKSUM_MISMATCH"
    MIGRATION_VERSION_MISMATCH = "MIGRATION_VERSION_MISMATCH"
    TARGET_NOT_EMPTY = "TARGET_NOT_EMPTY"
    ROW_REJECTED = "ROW_REJECTED"
    SERVER_RUNNING = "SERVER_RUNNING"
    SNAPSHOT_INVALID = "SNAPSHOT_INVALID"


class MigrationError(DomainError):
    """An expected import failure (`code` is a `MigrationErrorCode`)."""
