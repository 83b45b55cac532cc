"""Reading assets: objects by id, bindings of an entity, events by id."""

from __future__ import annotations

from db.tables.assets import AssetEntityBinding, AssetEvent, AssetObject
from resolvers.assets.rows import AssetBindingRow, AssetEventRow, AssetObjectRow


async def objects_by_ids(ids: list[str]) -> dict[str, AssetObjectRow]:
    if not ids:
        return {}
    rows = await AssetObject.select().where(AssetObject.asset_object_id.is_in(ids))
    return {row["asset_object_id"]: AssetObjectRow.from_row(row) for row in rows}


async def events_by_ids(ids: list[str]) -> dict[str, AssetEventRow]:
    """Asset events by id, one statement (subscribers load a batch at once)."""
    if not ids:
        return {}
    rows = await AssetEvent.select().where(AssetEvent.event_id.is_in(ids))
    return {row["event_id"]: AssetEventRow.from_row(row) for row in rows}


async def bindings_of(*, entity_kind: str, entity_id: str) -> list[AssetBindingRow]:
    """Every slot of an entity with its object, by slot name."""
    rows = await (
        AssetEntityBinding.select()
        .where(
            (AssetEntityBinding.entity_kind == entity_kind)
            & (AssetEntityBinding.entity_id == entity_id)
        )
        .order_by(AssetEntityBinding.slot)
    )
    return [AssetBindingRow.from_row(row) for row in rows]
