"""The statements on `asset_entity_binding`: which object fills an entity's slot."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from db.sql import marks
from db.tables.assets import AssetEntityBinding as Binding
from resolvers.assets.rows import AssetBindingRow, BindingTarget, BoundAsset


async def bindings_of(*, entity_kind: str, entity_id: str) -> list[AssetBindingRow]:
    """Every slot of an entity with its object, by slot name."""
    rows = await (
        Binding.select()
        .where((Binding.entity_kind == entity_kind) & (Binding.entity_id == entity_id))
        .order_by(Binding.slot)
    )
    return [AssetBindingRow.from_row(row) for row in rows]


async def upsert_binding(
    *,
    binding_id: str,
    asset: dict[str, Any],
    entity_kind: str,
    entity_id: str,
    slot: str,
    profile_id: str | None,
    now: datetime,
) -> dict[str, Any]:
    """Bind the object `asset` (its owner's) to the slot, replacing what was there; the
    binding's row as stored."""
    rows = (
        await Binding.insert(
            Binding(
                binding_id=binding_id,
                asset_object_id=asset["asset_object_id"],
                entity_kind=entity_kind,
                entity_id=entity_id,
                slot=slot,
                asset_kind=asset["asset_kind"],
                owner_user_id=asset["owner_user_id"],
                profile_id=profile_id,
                created_at=now,
                updated_at=now,
            )
        )
        .on_conflict(
            target=(Binding.entity_kind, Binding.entity_id, Binding.slot),
            action="DO UPDATE",
            values=[
                Binding.asset_object_id,
                Binding.asset_kind,
                Binding.owner_user_id,
                Binding.profile_id,
                Binding.updated_at,
            ],
        )
        .returning(*Binding.all_columns())
    )
    return dict(rows[0])


async def bound_assets(targets: Sequence[BindingTarget]) -> list[BoundAsset]:
    """Every object bound to the targets' entities (and slot), in one statement; none
    without an entity to read."""
    clauses: list[str] = []
    arguments: list[Any] = []
    for target in targets:
        if not target.entity_ids:
            continue
        clause = f"(b.entity_kind = {{}} AND b.entity_id IN ({marks(target.entity_ids)})"
        arguments += [target.entity_kind, *target.entity_ids]
        if target.slot is not None:
            clause += " AND b.slot = {}"
            arguments.append(target.slot)
        clauses.append(clause + ")")
    if not clauses:
        return []
    # Raw: a join to asset_object, which the builder cannot express without a foreign key.
    rows = await Binding.raw(
        "SELECT b.entity_kind, b.entity_id, b.slot, o.asset_object_id, o.content_type, "
        "o.access_policy, o.owner_user_id FROM asset_entity_binding b "
        "JOIN asset_object o ON o.asset_object_id = b.asset_object_id WHERE "
        + " OR ".join(clauses),
        *arguments,
    )
    return [BoundAsset.from_row(row) for row in rows]
