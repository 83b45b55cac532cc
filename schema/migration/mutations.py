"""Import mutations: `migrationImportChunkPut` and `migrationImportCommit` (operators only;
everyone else FORBIDDEN, anonymous callers UNAUTHENTICATED)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.migration import chunks
from resolvers.migration.importing import ImportMode
from schema.context import Info
from schema.migration.types import MigrationImportChunkPutPayload, MigrationImportCommitPayload
from schema.mutation_errors import DomainErrorPayload
from schema.permissions import IsAuthenticated

UPLOAD_ID = "The upload's id, chosen by the client: 1 to 64 letters, digits, '-' or '_'."


@strawberry.type
class MigrationMutation:
    @strawberry.mutation(
        description="Store one chunk of an export to import (migration operators only). "
        "Split the export file (GET /ops/export) into chunks of at most "
        f"{chunks.MAX_CHUNK_BYTES} bytes anywhere, put each with its index, then commit. "
        "Putting a chunk again replaces it.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def migration_import_chunk_put(
        self,
        info: Info,
        upload_id: Annotated[str, strawberry.argument(description=UPLOAD_ID)],
        index: Annotated[
            int, strawberry.argument(description="The chunk's position, 0 to count - 1.")
        ],
        count: Annotated[
            int,
            strawberry.argument(
                description=f"How many chunks the upload has (1 to {chunks.MAX_CHUNKS}); "
                "the same for every chunk of an upload."
            ),
        ],
        chunk: Annotated[
            str,
            strawberry.argument(
                description=f"The chunk's text (at most {chunks.MAX_CHUNK_BYTES} bytes)."
            ),
        ],
    ) -> MigrationImportChunkPutPayload:
        receipt = await chunks.put_chunk(
            viewer=info.context.principal,
            upload_id=upload_id,
            index=index,
            count=count,
            chunk=chunk,
        )
        return MigrationImportChunkPutPayload(
            errors=[], upload_id=receipt.upload_id, received=receipt.received
        )

    @strawberry.mutation(
        description="Import an upload whose chunks have all been put (migration operators "
        "only): checks the manifest, every table's count and checksum and the schema's "
        "migrations, applies every row in one transaction, rebuilds the gallery's read "
        "model, deletes the chunks, then sends a resync on the bus. Any refusal changes "
        "nothing. On SQLite it is refused (SERVER_RUNNING) while a server serves: use "
        "`manage.py import` there.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def migration_import_commit(
        self,
        info: Info,
        upload_id: Annotated[str, strawberry.argument(description=UPLOAD_ID)],
        mode: Annotated[
            ImportMode, strawberry.argument(description="EMPTY or UPSERT (see the enum).")
        ],
    ) -> MigrationImportCommitPayload:
        summary = await chunks.commit_upload(
            viewer=info.context.principal, upload_id=upload_id, mode=mode
        )
        return MigrationImportCommitPayload(errors=[], tables=summary.tables, rows=summary.rows)
