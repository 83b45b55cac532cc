"""What is bound to entities' slots, for the other domains (gates, publication, asset
coverage): one statement for any number of entities, typed rows. The asset tables are
read here and nowhere else."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from db.sql import marks
from db.tables.assets import AssetEntityBinding


@dataclass(frozen=True, slots=True)
class BoundAsset:
    """An object bound to an entity's slot, with what a gate checks of it."""

    entity_kind: str
    entity_id: str
    slot: str
    asset_object_id: str
    content_type: str
    access_policy: str
    owner_user_id: str

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> BoundAsset:
        return cls(
            entity_kind=row["entity_kind"],
            entity_id=row["entity_id"],
            slot=row["slot"],
            asset_object_id=row["asset_object_id"],
            content_type=row["content_type"],
            access_policy=row["access_policy"],
            owner_user_id=row["owner_user_id"],
        )


@dataclass(frozen=True, slots=True)
class BindingTarget:
    """Entities of one kind, and the slot asked for (None: every slot)."""

    entity_kind: str
    entity_ids: Sequence[str]
    slot: str | None = None


async def bound_assets(targets: Sequence[BindingTarget]) -> list[BoundAsset]:
    """Every object bound to the targets' entities (and slot), in one statement."""
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
    rows = await AssetEntityBinding.raw(
        "SELECT b.entity_kind, b.entity_id, b.slot, o.asset_object_id, o.content_type, "
        "o.access_policy, o.owner_user_id FROM asset_entity_binding b "
        "JOIN asset_object o ON o.asset_object_id = b.asset_object_id WHERE "
        + " OR ".join(clauses),
        *arguments,
    )
    return [BoundAsset.from_row(row) for row in rows]


async def bound_slots(targets: Sequence[BindingTarget]) -> set[tuple[str, str, str]]:
    """(entity kind, entity id, slot) of every binding of the targets, objects unread."""
    return {(a.entity_kind, a.entity_id, a.slot) for a in await bound_assets(targets)}
