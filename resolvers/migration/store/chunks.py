"""Chunks of uploads in flight (`database_migration_import_chunk`), keyed
`{upload_id}:{index}`."""

from __future__ import annotations

from db.tables.migration import DatabaseMigrationImportChunk
from resolvers import clock
from resolvers.migration.rows import ChunkPosition, UploadUse

Chunk = DatabaseMigrationImportChunk


async def upload_uses(upload_id: str) -> list[UploadUse]:
    """The distinct counts and operators of the chunks already put for `upload_id`."""
    rows = (
        await Chunk.select(Chunk.chunk_count, Chunk.operator_identity)
        .where(Chunk.upload_id == upload_id)
        .distinct()
    )
    return [
        UploadUse(count=int(row["chunk_count"]), operator=str(row["operator_identity"]))
        for row in rows
    ]


async def put_chunk(*, upload_id: str, index: int, count: int, operator: str, chunk: str) -> None:
    """Store chunk `index` of an upload, replacing the one put before."""
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


async def count_chunks(upload_id: str) -> int:
    """How many chunks of the upload are stored."""
    return int(await Chunk.count().where(Chunk.upload_id == upload_id))


async def chunk_text(*, upload_id: str, index: int) -> str | None:
    """Chunk `index` of the upload; None when it is not (or no longer) stored."""
    rows = await Chunk.select(Chunk.chunk).where(Chunk.chunk_key == f"{upload_id}:{index}")
    return str(rows[0]["chunk"]) if rows else None


async def chunk_positions(*, upload_id: str, operator: str) -> list[ChunkPosition]:
    """Index and count of each chunk the operator put for the upload."""
    rows = await Chunk.select(Chunk.chunk_index, Chunk.chunk_count).where(
        (Chunk.upload_id == upload_id) & (Chunk.operator_identity == operator)
    )
    return [
        ChunkPosition(index=int(row["chunk_index"]), count=int(row["chunk_count"])) for row in rows
    ]


async def lock_chunks(upload_id: str) -> int:
    """Lock the upload's chunks until the transaction ends; how many there were."""
    # Raw: the no-op `SET chunk_count = chunk_count` that takes the locks names the column.
    claimed = await Chunk.raw(
        "UPDATE database_migration_import_chunk SET chunk_count = chunk_count "
        "WHERE upload_id = {} RETURNING chunk_key",
        upload_id,
    )
    return len(claimed)


async def delete_chunks(upload_id: str) -> None:
    """Delete the upload's chunks."""
    await Chunk.delete().where(Chunk.upload_id == upload_id)
