"""Inventory rules (docs/rpg.md, "Inventory"): backpack and equipment slots of a session.

- Adding items: a stackable item fills the backpack slots of its `stack_key` up to
  `STACK_LIMIT` (20) units each, then opens new slots; a non-stackable item takes one slot
  per unit. A backpack slot's key is `<stack_key>#<n>` (the smallest free n from 1).
- Taking one unit (use, give, equip) is one conditional statement (`quantity = quantity - 1
  … WHERE quantity >= 1 RETURNING`); a slot at zero is deleted. No such unit: ILLEGAL_MOVE.
- Equip: a backpack item with an `equipment_slot_id` moves (one unit) to the equipment slot
  of that id (slot key = the slot id); what was equipped there goes back to the backpack.
  Unequip: back to the backpack. Use: consumables only, one unit used up.
Runs inside the run's transaction; the statements are in resolvers/rpg/store/inventory.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from resolvers.rpg.changes import change
from resolvers.rpg.model import (
    STACK_LIMIT,
    InventoryAction,
    InventoryContainerKind,
    InventoryItemSourceKind,
    ItemCategory,
)
from resolvers.rpg.records import ItemSpec
from resolvers.rpg.rows import InventorySlotRow, StorySessionRow
from resolvers.rpg.store import inventory as inventory_store
from resolvers.runs.errors import RunError, RunErrorCode

BACKPACK = InventoryContainerKind.BACKPACK.value
EQUIPMENT = InventoryContainerKind.EQUIPMENT.value
TABLE = "inventory_slot"


def illegal(message: str, field: str | None = None) -> RunError:
    return RunError(RunErrorCode.ILLEGAL_MOVE, message, field=field)


def spec_of(row: InventorySlotRow, quantity: int = 1) -> ItemSpec:
    return ItemSpec(
        item_id=row.item_id,
        category=row.category,
        name=row.name,
        description=row.description,
        quantity=quantity,
        rarity=row.rarity,
        tags=list(row.tags),
        stackable=bool(row.stackable),
        stack_key=row.stack_key,
        equipment_slot_id=row.equipment_slot_id,
    )


async def add_items(
    session: StorySessionRow,
    items: list[ItemSpec],
    *,
    source_kind: InventoryItemSourceKind | str,
    source_reference_id: str | None,
    now: datetime,
) -> list[dict[str, Any]]:
    """Put `items` into the backpack (stacking); the changes."""
    changes: list[dict[str, Any]] = []
    runtime = session.runtime_session_id
    for item in items:
        existing = await inventory_store.stack_slots(
            runtime_session_id=runtime, container=BACKPACK, stack_key=item.stack_key
        )
        left = item.quantity
        if item.stackable:
            for row in existing:
                room = STACK_LIMIT - int(row.quantity)
                if left == 0 or room <= 0 or not row.stackable:
                    continue
                added = min(room, left)
                grown = await inventory_store.add_quantity(
                    slot_id=row.slot_id, added=added, now=now
                )
                changes.append(change(TABLE, "update", grown))
                left -= added
        used = {row.slot_key for row in existing}
        number = 0
        while left > 0:
            number += 1
            key = f"{item.stack_key}#{number}"
            if key in used:
                continue
            quantity = min(left, STACK_LIMIT) if item.stackable else 1
            row = await inventory_store.insert_slot(
                session,
                item,
                container=BACKPACK,
                slot_key=key,
                quantity=quantity,
                source_kind=str(source_kind),
                source_reference_id=source_reference_id,
                now=now,
            )
            changes.append(change(TABLE, "insert", row))
            used.add(key)
            left -= quantity
    return changes


async def take_one(
    runtime_session_id: str, slot_id: str, now: datetime, *, container: str = BACKPACK
) -> tuple[InventorySlotRow, list[dict[str, Any]]]:
    """One unit out of a slot (deleted at zero): the row before and the changes.
    ILLEGAL_MOVE when the session has no unit there."""
    row = await inventory_store.take_unit(
        runtime_session_id=runtime_session_id, slot_id=slot_id, container=container, now=now
    )
    if row is None:
        raise illegal(f"You have no such item in your {container}.", "slotId")
    if int(row.quantity) == 0:
        await inventory_store.delete_slot(row.slot_id)
        return row, [change(TABLE, "delete", row)]
    return row, [change(TABLE, "update", row)]


async def equip(session: StorySessionRow, slot_id: str, now: datetime) -> list[dict[str, Any]]:
    runtime = session.runtime_session_id
    row = await inventory_store.slot_row(runtime, slot_id)
    if row is None or row.container_kind != BACKPACK:
        raise illegal("You have no such item in your backpack.", "slotId")
    if row.equipment_slot_id is None:
        raise illegal(f"{row.name} cannot be equipped.", "slotId")
    worn_key = row.equipment_slot_id.value  # the equipment slot's key is its id
    taken, changes = await take_one(runtime, slot_id, now)
    worn = await inventory_store.slot_at(
        runtime_session_id=runtime, container=EQUIPMENT, slot_key=worn_key
    )
    if worn is not None:
        await inventory_store.delete_slot(worn.slot_id)
        changes.append(change(TABLE, "delete", worn))
        changes += await add_items(
            session,
            [spec_of(worn)],
            source_kind=worn.source_kind,
            source_reference_id=worn.source_reference_id,
            now=now,
        )
    equipped = await inventory_store.insert_slot(
        session,
        spec_of(taken),
        container=EQUIPMENT,
        slot_key=worn_key,
        quantity=1,
        source_kind=taken.source_kind.value,
        source_reference_id=taken.source_reference_id,
        now=now,
    )
    return [*changes, change(TABLE, "insert", equipped)]


async def unequip(session: StorySessionRow, slot_id: str, now: datetime) -> list[dict[str, Any]]:
    taken, changes = await take_one(session.runtime_session_id, slot_id, now, container=EQUIPMENT)
    return changes + await add_items(
        session,
        [spec_of(taken)],
        source_kind=taken.source_kind,
        source_reference_id=taken.source_reference_id,
        now=now,
    )


async def use(session: StorySessionRow, slot_id: str, now: datetime) -> list[dict[str, Any]]:
    row = await inventory_store.slot_row(session.runtime_session_id, slot_id)
    if row is None or row.container_kind != BACKPACK:
        raise illegal("You have no such item in your backpack.", "slotId")
    if row.category != ItemCategory.CONSUMABLE.value:
        raise illegal(f"{row.name} cannot be used.", "slotId")
    _, changes = await take_one(session.runtime_session_id, slot_id, now)
    return changes


async def act(
    session: StorySessionRow, action: InventoryAction, slot_id: str, now: datetime
) -> list[dict[str, Any]]:
    if action is InventoryAction.EQUIP:
        return await equip(session, slot_id, now)
    if action is InventoryAction.UNEQUIP:
        return await unequip(session, slot_id, now)
    return await use(session, slot_id, now)
