"""Imports over the graph: an operator uploads an export in chunks
(`migrationImportChunkPut`), then commits the upload (`migrationImportCommit`). Chunks
are rows of `database_migration_import_chunk` keyed `{upload_id}:{index}`; a commit reads
them one at a time, in order, and deletes them in the importing transaction."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

from resolvers.migration.errors import MigrationError, MigrationErrorCode
from resolvers.migration.importing import ImportMode, ImportSummary, LineSource, run_import
from resolvers.migration.operators import require_operator
from resolvers.migration.store import chunks as store
from resolvers.principal import Principal

# Bytes of one chunk (UTF-8): with JSON's escaping a request stays under the default
# MAX_BODY_BYTES (1 MiB).
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
    others = await store.upload_uses(upload_id)
    if any(other.operator != operator for other in others):
        raise _refused(
            MigrationErrorCode.UPLOAD_ID_INVALID,
            "Another operator uses this upload id.",
            "uploadId",
        )
    if any(other.count != count for other in others):
        raise _refused(
            MigrationErrorCode.CHUNK_COUNT_MISMATCH,
            "Earlier chunks of this upload gave another count.",
            "count",
        )
    await store.put_chunk(
        upload_id=upload_id, index=index, count=count, operator=operator, chunk=chunk
    )
    received = await store.count_chunks(upload_id)
    return ChunkReceipt(upload_id=upload_id, index=index, count=count, received=received)


def _chunk_source(upload_id: str, count: int) -> LineSource:
    async def lines() -> AsyncIterator[bytes]:
        carry = b""
        for index in range(count):
            text = await store.chunk_text(upload_id=upload_id, index=index)
            if text is None:  # committed (and deleted) by a concurrent commit meanwhile
                raise _refused(
                    MigrationErrorCode.UPLOAD_NOT_FOUND, "The upload was committed.", "uploadId"
                )
            parts = (carry + text.encode()).split(b"\n")
            carry = parts.pop()
            for part in parts:
                yield part + b"\n"
        if carry:
            yield carry

    return lines


async def commit_upload(*, viewer: Principal, upload_id: str, mode: ImportMode) -> ImportSummary:
    """Import an upload whose chunks have all arrived, then delete them (same transaction)."""
    operator = await require_operator(viewer)
    positions = await store.chunk_positions(upload_id=upload_id, operator=operator)
    if not positions:
        raise _refused(
            MigrationErrorCode.UPLOAD_NOT_FOUND, "No chunks were put for this upload.", "uploadId"
        )
    count = positions[0].count
    missing = sorted(set(range(count)) - {position.index for position in positions})
    if missing:
        raise _refused(
            MigrationErrorCode.CHUNK_MISSING,
            f"Chunks missing: {', '.join(str(index) for index in missing[:20])}.",
            "uploadId",
        )

    async def claim() -> None:
        # Locks the upload's rows until the commit: a concurrent commit of the same upload
        # waits, then finds them deleted (UPLOAD_NOT_FOUND).
        claimed = await store.lock_chunks(upload_id)
        if claimed != count:
            raise _refused(
                MigrationErrorCode.UPLOAD_NOT_FOUND, "The upload was committed.", "uploadId"
            )

    async def delete_chunks() -> None:
        await store.delete_chunks(upload_id)

    return await run_import(
        _chunk_source(upload_id, count), mode=mode, claim=claim, finish=delete_chunks
    )
