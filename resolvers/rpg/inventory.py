"""Inventory rules (docs/rpg.md, "Inventory"): backpack and equipment slots of a session.

- Adding items: a stackable item fills the backpack slots of its `stack_key` up to
  `STACK_LIMIT` (20) units each, then opens new slots; a non-stackable item takes one slot
  per unit. A backpack slot's key is `<stack_key>#<n>` (the smallest free n from 1).
- Taking one unit (use, give, equip) is one conditional statement (`quantity = quantity - 1
  … WHERE quantity >= 1 RETURNING`); a slot at zero is deleted. No such unit: ILLEGAL_MOVE.
- Equip: a backpack item with an `equipment_slot_id` moves (one unit) to the equipment slot
  of that id (slot key = the slot id); what was equipped there goes back to the backpack.
  Unequip: back to the backpack. Use: consumables only, one unit used up.
Runs inside the run's transaction (resolvers/rpg/store.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from db.tables.rpg import InventorySlot
from resolvers.ids import new_id
from resolvers.rpg import store
from resolvers.rpg.model import (
    STACK_LIMIT,
    InventoryAction,
    InventoryContainerKind,
    InventoryItemSourceKind,
    ItemCategory,
)
from resolvers.rpg.records import ItemSpec
from resolvers.rpg.rows import InventorySlotRow, StorySessionRow
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


async def _insert(
    session: StorySessionRow,
    item: ItemSpec,
    *,
    container: str,
    slot_key: str,
    quantity: int,
    source_kind: str,
    source_reference_id: str | None,
    now: datetime,
) -> InventorySlotRow:
    row = InventorySlot(
        slot_id=new_id(),
        runtime_session_id=session.runtime_session_id,
        story_session_id=session.story_session_id,
        actor_user_id=session.actor_user_id,
        container_kind=container,
        slot_key=slot_key,
        item_id=item.item_id,
        category=item.category.value,
        name=item.name,
        description=item.description,
        quantity=quantity,
        rarity=item.rarity.value,
        tags=store.dumps(item.tags),
        stackable=item.stackable,
        stack_key=item.stack_key,
        equipment_slot_id=item.equipment_slot_id.value if item.equipment_slot_id else None,
        source_kind=source_kind,
        source_reference_id=source_reference_id,
        created_at=now,
        updated_at=now,
    )
    rows = await InventorySlot.insert(row).returning(*InventorySlot.all_columns())
    return InventorySlotRow.from_row(rows[0])


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
        stacked = await (
            InventorySlot.select()
            .where(
                (InventorySlot.runtime_session_id == runtime)
                & (InventorySlot.container_kind == BACKPACK)
                & (InventorySlot.stack_key == item.stack_key)
            )
            .order_by(InventorySlot.slot_key)
        )
        existing = [InventorySlotRow.from_row(found) for found in stacked]
        left = item.quantity
        if item.stackable:
            for row in existing:
                room = STACK_LIMIT - int(row.quantity)
                if left == 0 or room <= 0 or not row.stackable:
                    continue
                added = min(room, left)
                rows = await (
                    InventorySlot.update(
                        {
                            InventorySlot.quantity: InventorySlot.quantity + added,
                            InventorySlot.updated_at: now,
                        }
                    )
                    .where(InventorySlot.slot_id == row.slot_id)
                    .returning(*InventorySlot.all_columns())
                )
                changes.append(store.change(TABLE, "update", InventorySlotRow.from_row(rows[0])))
                left -= added
        used = {row.slot_key for row in existing}
        number = 0
        while left > 0:
            number += 1
            key = f"{item.stack_key}#{number}"
            if key in used:
                continue
            quantity = min(left, STACK_LIMIT) if item.stackable else 1
            row = await _insert(
                session,
                item,
                container=BACKPACK,
                slot_key=key,
                quantity=quantity,
                source_kind=str(source_kind),
                source_reference_id=source_reference_id,
                now=now,
            )
            changes.append(store.change(TABLE, "insert", row))
            used.add(key)
            left -= quantity
    return changes


async def take_one(
    runtime_session_id: str, slot_id: str, now: datetime, *, container: str = BACKPACK
) -> tuple[InventorySlotRow, list[dict[str, Any]]]:
    """One unit out of a slot (deleted at zero): the row before and the changes.
    ILLEGAL_MOVE when the session has no unit there."""
    rows = await (
        InventorySlot.update(
            {InventorySlot.quantity: InventorySlot.quantity - 1, InventorySlot.updated_at: now}
        )
        .where(
            (InventorySlot.slot_id == slot_id[:64])
            & (InventorySlot.runtime_session_id == runtime_session_id)
            & (InventorySlot.container_kind == container)
            & (InventorySlot.quantity >= 1)
        )
        .returning(*InventorySlot.all_columns())
    )
    if not rows:
        raise illegal(f"You have no such item in your {container}.", "slotId")
    row = InventorySlotRow.from_row(rows[0])
    if int(row.quantity) == 0:
        await InventorySlot.delete().where(InventorySlot.slot_id == row.slot_id)
        return row, [store.change(TABLE, "delete", row)]
    return row, [store.change(TABLE, "update", row)]


async def equip(session: StorySessionRow, slot_id: str, now: datetime) -> list[dict[str, Any]]:
    runtime = session.runtime_session_id
    row = await store.slot_row(runtime, slot_id)
    if row is None or row.container_kind != BACKPACK:
        raise illegal("You have no such item in your backpack.", "slotId")
    if row.equipment_slot_id is None:
        raise illegal(f"{row.name} cannot be equipped.", "slotId")
    worn_key = row.equipment_slot_id.value  # the equipment slot's key is its id
    taken, changes = await take_one(runtime, slot_id, now)
    found = (
        await InventorySlot.select()
        .where(
            (InventorySlot.runtime_session_id == runtime)
            & (InventorySlot.container_kind == EQUIPMENT)
            & (InventorySlot.slot_key == worn_key)
        )
        .first()
    )
    if found is not None:
        worn = InventorySlotRow.from_row(found)
        await InventorySlot.delete().where(InventorySlot.slot_id == worn.slot_id)
        changes.append(store.change(TABLE, "delete", worn))
        changes += await add_items(
            session,
            [spec_of(worn)],
            source_kind=worn.source_kind,
            source_reference_id=worn.source_reference_id,
            now=now,
        )
    equipped = await _insert(
        session,
        spec_of(taken),
        container=EQUIPMENT,
        slot_key=worn_key,
        quantity=1,
        source_kind=taken.source_kind.value,
        source_reference_id=taken.source_reference_id,
        now=now,
    )
    return [*changes, store.change(TABLE, "insert", equipped)]


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
    row = await store.slot_row(session.runtime_session_id, slot_id)
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
