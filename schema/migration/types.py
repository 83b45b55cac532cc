"""Payloads and errors of the import mutations."""

from __future__ import annotations

import strawberry

from resolvers.migration.errors import MigrationErrorCode
from resolvers.migration.importing import ImportMode

strawberry.enum(
    MigrationErrorCode,
    description="Why an import step was refused (then nothing was written).",
)
strawberry.enum(
    ImportMode,
    description="How an import meets the rows already there: EMPTY (every carried table "
    "must be empty, else TARGET_NOT_EMPTY) or UPSERT (rows replace those with the same "
    "primary key; others stay).",
)


@strawberry.type(name="MigrationError", description="Why an import step did nothing.")
class MigrationErrorType:
    code: MigrationErrorCode = strawberry.field(description="Machine-readable reason.")
    field: str | None = strawberry.field(description="The argument at fault, if any.")
    message: str = strawberry.field(description="Human-readable explanation.")


@strawberry.type(description="Result of `migrationImportChunkPut`.")
class MigrationImportChunkPutPayload:
    errors: list[MigrationErrorType] = strawberry.field(
        description="Empty on success; otherwise why the chunk was not stored."
    )
    upload_id: str | None = strawberry.field(
        default=None, description="The upload the chunk belongs to; null when refused."
    )
    received: int | None = strawberry.field(
        default=None,
        description="Chunks of the upload stored so far (commit when it equals the count); "
        "null when refused.",
    )


@strawberry.type(description="Result of `migrationImportCommit`.")
class MigrationImportCommitPayload:
    errors: list[MigrationErrorType] = strawberry.field(
        description="Empty on success; otherwise why nothing was imported (the chunks stay)."
    )
    tables: int | None = strawberry.field(
        default=None, description="Tables the import carried; null when refused."
    )
    rows: int | None = strawberry.field(
        default=None, description="Rows written; null when refused."
    )
