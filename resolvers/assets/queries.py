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


async def object_id_stored_by(source_job_id: str) -> str | None:
    """The object a job (an image task) stored, if its commit happened."""
    row = await (
        AssetObject.select(AssetObject.asset_object_id)
        .where(AssetObject.source_job_id == source_job_id)
        .first()
    )
    return None if row is None else str(row["asset_object_id"])


async def owned_object_ids(*, owner_user_id: str, asset_object_ids: list[str]) -> set[str]:
    """Those of the ids that name objects of the owner (one statement)."""
    if not asset_object_ids:
        return set()
    rows = await AssetObject.select(AssetObject.asset_object_id).where(
        AssetObject.asset_object_id.is_in(asset_object_ids)
        & (AssetObject.owner_user_id == owner_user_id)
    )
    return {row["asset_object_id"] for row in rows}
