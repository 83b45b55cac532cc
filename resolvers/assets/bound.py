"""What is bound to entities' slots, for the other domains (gates, publication, asset
coverage): one statement for any number of entities, typed rows (`BindingTarget` and
`BoundAsset` in resolvers/assets/rows.py). The asset tables are read here, through the
store, and nowhere else."""

from __future__ import annotations

from collections.abc import Sequence

from resolvers.assets.rows import BindingTarget, BoundAsset
from resolvers.assets.store import bindings


async def bound_assets(targets: Sequence[BindingTarget]) -> list[BoundAsset]:
    """Every object bound to the targets' entities (and slot), in one statement."""
    return await bindings.bound_assets(targets)


async def bound_slots(targets: Sequence[BindingTarget]) -> set[tuple[str, str, str]]:
    """(entity kind, entity id, slot) of every binding of the targets, objects unread."""
    return {(a.entity_kind, a.entity_id, a.slot) for a in await bound_assets(targets)}
