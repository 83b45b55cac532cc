"""The statements on `asset_event`: one row per CONFIRMED or BOUND change."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from db.tables.assets import AssetEvent
from resolvers.assets.rows import AssetEventRow


async def insert_event(
    *,
    event_id: str,
    kind: str,
    asset: dict[str, Any],
    binding: dict[str, Any] | None,
    now: datetime,
) -> None:
    """Write one event of the object `asset` (and `binding`, for BOUND)."""
    await AssetEvent(
        event_id=event_id,
        asset_object_id=asset["asset_object_id"],
        binding_id=binding["binding_id"] if binding else None,
        event_kind=kind,
        asset_kind=asset["asset_kind"],
        owner_user_id=asset["owner_user_id"],
        profile_id=asset["profile_id"],
        entity_kind=binding["entity_kind"] if binding else None,
        entity_id=binding["entity_id"] if binding else None,
        slot=binding["slot"] if binding else None,
        occurred_at=now,
    ).save()


async def events_by_ids(ids: Sequence[str]) -> dict[str, AssetEventRow]:
    """Asset events by id (one statement)."""
    rows = await AssetEvent.select().where(AssetEvent.event_id.is_in(list(ids)))
    return {row["event_id"]: AssetEventRow.from_row(row) for row in rows}
