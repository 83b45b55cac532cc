"""Imports over the graph: an operator uploads an export in chunks
(`migrationImportChunkPut`), then commits the upload (`migrationImportCommit`). Chunks
are rows of `database_migration_import_chunk` keyed `{upload_id}:{index}`; a commit reads
them one at a time, in order, and deletes them in the importing transaction."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

from db.tables.migration import DatabaseMigrationImportChunk
from resolvers import clock
from resolvers.migration.errors import MigrationError, MigrationErrorCode
from resolvers.migration.importing import ImportMode, ImportSummary, LineSource, run_import
from resolvers.migration.operators import require_operator
from resolvers.principal import Principal

# Bytes of one chunk (UTF-8): with JSON's escaping a request stays under the default
# MAX_BODY_BYTES (1 MiB).
Chunk = DatabaseMigrationImportChunk

MAX_CHUNK_BYTES = 384 * 1024
MAX_CHUNKS = 100_000
UPLOAD_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True, slots=True)
class ChunkReceipt:
    upload_id: str
    index: int
    count: int
    received: int


def _refused(code: MigrationErrorCode, message: str, field: str) -> MigrationError:
    return MigrationError(code, message, field=field)


async def put_chunk(
    *, viewer: Principal, upload_id: str, index: int, count: int, chunk: str
) -> ChunkReceipt:
    """Store chunk `index` of `count` of an upload (putting it again replaces it)."""
    operator = await require_operator(viewer)
    if not UPLOAD_ID.match(upload_id):
        raise _refused(
            MigrationErrorCode.UPLOAD_ID_INVALID,
            "Upload ids are 1 to 64 letters, digits, '-' or '_'.",
            "uploadId",
        )
    if not 1 <= count <= MAX_CHUNKS or not 0 <= index < count:
        raise _refused(
            MigrationErrorCode.CHUNK_INVALID,
            f"A chunk's index is 0 to count - 1, and count 1 to {MAX_CHUNKS}.",
            "index",
        )
    if len(chunk.encode()) > MAX_CHUNK_BYTES:
        raise _refused(
            MigrationErrorCode.CHUNK_TOO_LARGE,
            f"Chunks are at most {MAX_CHUNK_BYTES} bytes.",
            "chunk",
        )
    others = (
        await Chunk.select(Chunk.chunk_count, Chunk.operator_identity)
        .where(Chunk.upload_id == upload_id)
        .distinct()
    )
    if any(row["operator_identity"] != operator for row in others):
        raise _refused(
            MigrationErrorCode.UPLOAD_ID_INVALID,
            "Another operator uses this upload id.",
            "uploadId",
        )
    if any(row["chunk_count"] != count for row in others):
        raise _refused(
            MigrationErrorCode.CHUNK_COUNT_MISMATCH,
            "Earlier chunks of this upload gave another count.",
            "count",
        )
    await Chunk.insert(
        Chunk(
            chunk_key=f"{upload_id}:{index}",
            upload_id=upload_id,
            chunk_index=index,
            chunk_count=count,
            operator_identity=operator,
            created_at=clock.now(),
            chunk=chunk,
        )
    ).on_conflict(
        target=Chunk.chunk_key, action="DO UPDATE", values=[Chunk.chunk, Chunk.created_at]
    )
    received = await Chunk.count().where(Chunk.upload_id == upload_id)
    return ChunkReceipt(upload_id=upload_id, index=index, count=count, received=received)


def _chunk_source(upload_id: str, count: int) -> LineSource:
    async def lines() -> AsyncIterator[bytes]:
        carry = b""
        for index in range(count):
            rows = await Chunk.select(Chunk.chunk).where(Chunk.chunk_key == f"{upload_id}:{index}")
            if not rows:  # committed (and deleted) by a concurrent commit meanwhile
                raise _refused(
                    MigrationErrorCode.UPLOAD_NOT_FOUND, "The upload was committed.", "uploadId"
                )
            parts = (carry + str(rows[0]["chunk"]).encode()).split(b"\n")
            carry = parts.pop()
            for part in parts:
                yield part + b"\n"
        if carry:
            yield carry

    return lines


async def commit_upload(*, viewer: Principal, upload_id: str, mode: ImportMode) -> ImportSummary:
    """Import an upload whose chunks have all arrived, then delete them (same transaction)."""
    operator = await require_operator(viewer)
    rows = await Chunk.select(Chunk.chunk_index, Chunk.chunk_count).where(
        (Chunk.upload_id == upload_id) & (Chunk.operator_identity == operator)
    )
    if not rows:
        raise _refused(
            MigrationErrorCode.UPLOAD_NOT_FOUND, "No chunks were put for this upload.", "uploadId"
        )
    count = int(rows[0]["chunk_count"])
    missing = sorted(set(range(count)) - {int(row["chunk_index"]) for row in rows})
    if missing:
        raise _refused(
            MigrationErrorCode.CHUNK_MISSING,
            f"Chunks missing: {', '.join(str(index) for index in missing[:20])}.",
            "uploadId",
        )

    async def claim() -> None:
        # Locks the upload's rows until the commit: a concurrent commit of the same upload
        # waits, then finds them deleted (UPLOAD_NOT_FOUND).
        # Raw: the no-op `SET chunk_count = chunk_count` that takes the locks names the column.
        claimed = await DatabaseMigrationImportChunk.raw(
            "UPDATE database_migration_import_chunk SET chunk_count = chunk_count "
            "WHERE upload_id = {} RETURNING chunk_key",
            upload_id,
        )
        if len(claimed) != count:
            raise _refused(
                MigrationErrorCode.UPLOAD_NOT_FOUND, "The upload was committed.", "uploadId"
            )

    async def delete_chunks() -> None:
        await Chunk.delete().where(Chunk.upload_id == upload_id)

    return await run_import(
        _chunk_source(upload_id, count), mode=mode, claim=claim, finish=delete_chunks
    )
