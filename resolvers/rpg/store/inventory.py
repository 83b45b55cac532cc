"""The inventory's statements (inventory_slot) with typed rows. Every write runs inside the
run's transaction after its version guard; the decrement is conditional anyway (only while
quantity >= 1)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from db.tables.rpg import InventorySlot
from resolvers.ids import new_id
from resolvers.rpg.changes import dumps
from resolvers.rpg.records import ItemSpec
from resolvers.rpg.rows import InventorySlotRow, StorySessionRow


async def insert_slot(
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
    """A new slot of the session holding `quantity` of the item."""
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
        tags=dumps(item.tags),
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


async def stack_slots(
    *, runtime_session_id: str, container: str, stack_key: str
) -> list[InventorySlotRow]:
    """The container's slots of one stack key, by slot key."""
    rows = await (
        InventorySlot.select()
        .where(
            (InventorySlot.runtime_session_id == runtime_session_id)
            & (InventorySlot.container_kind == container)
            & (InventorySlot.stack_key == stack_key)
        )
        .order_by(InventorySlot.slot_key)
    )
    return [InventorySlotRow.from_row(row) for row in rows]


async def add_quantity(*, slot_id: str, added: int, now: datetime) -> InventorySlotRow:
    """Grow a slot's quantity; the row after."""
    rows = await (
        InventorySlot.update(
            {InventorySlot.quantity: InventorySlot.quantity + added, InventorySlot.updated_at: now}
        )
        .where(InventorySlot.slot_id == slot_id)
        .returning(*InventorySlot.all_columns())
    )
    return InventorySlotRow.from_row(rows[0])


async def take_unit(
    *, runtime_session_id: str, slot_id: str, container: str, now: datetime
) -> InventorySlotRow | None:
    """One unit out of the session's slot in `container` while it holds one; the row after,
    or None when there is no unit there."""
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
    return InventorySlotRow.from_row(rows[0]) if rows else None


async def delete_slot(slot_id: str) -> None:
    await InventorySlot.delete().where(InventorySlot.slot_id == slot_id)


async def slot_at(
    *, runtime_session_id: str, container: str, slot_key: str
) -> InventorySlotRow | None:
    """The session's slot at a key of a container (an equipment slot), if filled."""
    row = (
        await InventorySlot.select()
        .where(
            (InventorySlot.runtime_session_id == runtime_session_id)
            & (InventorySlot.container_kind == container)
            & (InventorySlot.slot_key == slot_key)
        )
        .first()
    )
    return InventorySlotRow.from_row(row) if row is not None else None


async def slots_of(runtime_session_ids: Sequence[str]) -> dict[str, list[InventorySlotRow]]:
    found: dict[str, list[InventorySlotRow]] = {rid: [] for rid in runtime_session_ids}
    if not runtime_session_ids:
        return found
    rows = await (
        InventorySlot.select()
        .where(InventorySlot.runtime_session_id.is_in(list(runtime_session_ids)))
        .order_by(InventorySlot.container_kind)
        .order_by(InventorySlot.slot_key)
    )
    for row in rows:
        found[row["runtime_session_id"]].append(InventorySlotRow.from_row(row))
    return found


async def slot_row(runtime_session_id: str, slot_id: str) -> InventorySlotRow | None:
    row = (
        await InventorySlot.select()
        .where(
            (InventorySlot.runtime_session_id == runtime_session_id)
            & (InventorySlot.slot_id == slot_id[:64])
        )
        .first()
    )
    return InventorySlotRow.from_row(row) if row else None
