"""The legacy auth store's document as last imported (`auth_store_snapshot`)."""

from __future__ import annotations

from db.tables.migration import AuthStoreSnapshot
from resolvers import clock


async def keep_snapshot(*, snapshot_id: str, document: str) -> None:
    """Keep `document` as the snapshot `snapshot_id`; an identical one is left untouched."""
    # Raw: the `DO UPDATE … WHERE` compares with `excluded`, which on_conflict cannot.
    await AuthStoreSnapshot.raw(
        "INSERT INTO auth_store_snapshot (snapshot_id, snapshot_json, updated_at) "
        "VALUES ({}, {}, {}) ON CONFLICT (snapshot_id) DO UPDATE SET "
        "snapshot_json = excluded.snapshot_json, updated_at = excluded.updated_at "
        "WHERE auth_store_snapshot.snapshot_json <> excluded.snapshot_json",
        snapshot_id,
        document,
        clock.now(),
    )
