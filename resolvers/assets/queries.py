"""Reading assets: objects by id, bindings of an entity, events by id."""

from __future__ import annotations

from resolvers.assets.rows import AssetBindingRow, AssetEventRow, AssetObjectRow
from resolvers.assets.store import bindings, events, objects


async def objects_by_ids(ids: list[str]) -> dict[str, AssetObjectRow]:
    if not ids:
        return {}
    return await objects.objects_by_ids(ids)


async def events_by_ids(ids: list[str]) -> dict[str, AssetEventRow]:
    """Asset events by id, one statement (subscribers load a batch at once)."""
    if not ids:
        return {}
    return await events.events_by_ids(ids)


async def bindings_of(*, entity_kind: str, entity_id: str) -> list[AssetBindingRow]:
    """Every slot of an entity with its object, by slot name."""
    return await bindings.bindings_of(entity_kind=entity_kind, entity_id=entity_id)


async def object_id_stored_by(source_job_id: str) -> str | None:
    """The object a job (an image task) stored, if its commit happened."""
    return await objects.object_id_stored_by(source_job_id)


async def owned_object_ids(*, owner_user_id: str, asset_object_ids: list[str]) -> set[str]:
    """Those of the ids that name objects of the owner (one statement)."""
    if not asset_object_ids:
        return set()
    return await objects.owned_object_ids(
        owner_user_id=owner_user_id, asset_object_ids=asset_object_ids
    )
