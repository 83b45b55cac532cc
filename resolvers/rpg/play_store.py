"""Rows of part 2's tables (battle_state, treasure_record, quest_record, quest_log,
player_progression, chapter_progression): raw SQL on both engines, JSON given as Python
values and read back decoded. Every write runs inside the run's transaction (store.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import orjson
from piccolo.table import Table

from db.tables.rpg import (
    BattleState,
    ChapterProgression,
    PlayerProgression,
    QuestLog,
    QuestRecord,
    TreasureRecord,
)
from resolvers.rpg import store

JSON_COLUMNS: dict[str, tuple[str, ...]] = {
    "battle_state": ("reward_items",),
    "treasure_record": ("reward_items",),
    "quest_record": (
        "objective",
        "reward",
        "narrative_binding",
        "steps",
        "hidden_flags",
        "discovered_fact_ids",
        "related_carrier_ids",
        "consequence_ids",
    ),
    "quest_log": ("signal",),
    "player_progression": (),
    "chapter_progression": (),
}
KEYS = {
    "battle_state": "battle_state_id",
    "treasure_record": "treasure_record_id",
    "quest_record": "quest_id",
    "quest_log": "log_id",
    "player_progression": "user_id",
    "chapter_progression": "chapter_progression_id",
}
TIMES = ("created_at", "updated_at", "completed_at", "turned_in_at")


def decoded(table: str, row: Mapping[str, Any]) -> dict[str, Any]:
    found = dict(row)
    for key in JSON_COLUMNS[table]:
        value = found.get(key)
        if isinstance(value, str | bytes):
            found[key] = orjson.loads(value)
    for key in TIMES:
        value = found.get(key)
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if isinstance(value, datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        if key in found:
            found[key] = value
    if "completion_notified" in found:
        found["completion_notified"] = bool(found["completion_notified"])
    return found


def _value(table: str, key: str, value: Any) -> Any:
    return store.dumps(value) if key in JSON_COLUMNS[table] else value


async def insert(table: str, row: Mapping[str, Any]) -> dict[str, Any]:
    names = list(row)
    rows = await BattleState.raw(
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('{}' for _ in names)}) "
        "RETURNING *",
        *(_value(table, k, v) for k, v in row.items()),
    )
    return decoded(table, rows[0])


async def update(table: str, key_value: str, **columns: Any) -> dict[str, Any]:
    names = list(columns)
    rows = await BattleState.raw(
        f"UPDATE {table} SET "
        + ", ".join(f"{name} = {{}}" for name in names)
        + f" WHERE {KEYS[table]} = {{}} RETURNING *",
        *(_value(table, k, v) for k, v in columns.items()),
        key_value,
    )
    return decoded(table, rows[0])


async def one(table: str, where: str, *values: Any) -> dict[str, Any] | None:
    rows = await BattleState.raw(f"SELECT * FROM {table} WHERE {where}", *values)
    return decoded(table, rows[0]) if rows else None


async def _of(
    table: type[Table], name: str, runtime_session_ids: Sequence[str], order: Any
) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {rid: [] for rid in runtime_session_ids}
    if not runtime_session_ids:
        return found
    column = table._meta.get_column_by_name("runtime_session_id")
    rows = await table.select().where(column.is_in(list(runtime_session_ids))).order_by(*order)
    for row in rows:
        found[row["runtime_session_id"]].append(decoded(name, row))
    return found


async def battles_of(runtime_session_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    return await _of(
        BattleState,
        "battle_state",
        runtime_session_ids,
        (BattleState.created_at, BattleState.battle_state_id),
    )


async def treasures_of(runtime_session_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    return await _of(
        TreasureRecord,
        "treasure_record",
        runtime_session_ids,
        (TreasureRecord.created_at, TreasureRecord.treasure_record_id),
    )


async def quests_of(runtime_session_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    return await _of(
        QuestRecord,
        "quest_record",
        runtime_session_ids,
        (QuestRecord.created_at, QuestRecord.quest_id),
    )


async def quest_logs_of(runtime_session_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    return await _of(
        QuestLog, "quest_log", runtime_session_ids, (QuestLog.created_at, QuestLog.log_id)
    )


async def raw(sql: str, *values: Any) -> list[dict[str, Any]]:
    return list(await BattleState.raw(sql, *values))


async def insert_new(table: str, row: Mapping[str, Any]) -> dict[str, Any] | None:
    """Insert unless a unique key already holds a row (`ON CONFLICT DO NOTHING`): the row
    inserted, or None. Both engines."""
    names = list(row)
    rows = await BattleState.raw(
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('{}' for _ in names)}) "
        "ON CONFLICT DO NOTHING RETURNING *",
        *(_value(table, k, v) for k, v in row.items()),
    )
    return decoded(table, rows[0]) if rows else None


async def progressions_of(user_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Each user's `player_progression` row (absent: no XP yet)."""
    if not user_ids:
        return {}
    rows = await PlayerProgression.select().where(PlayerProgression.user_id.is_in(list(user_ids)))
    return {row["user_id"]: decoded("player_progression", row) for row in rows}


async def chapters_of(user_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """Each user's `chapter_progression` rows (every world's), by chapter id."""
    found: dict[str, list[dict[str, Any]]] = {uid: [] for uid in user_ids}
    if not user_ids:
        return found
    rows = await (
        ChapterProgression.select()
        .where(ChapterProgression.user_id.is_in(list(user_ids)))
        .order_by(ChapterProgression.chapter_id)
    )
    for row in rows:
        found[row["user_id"]].append(decoded("chapter_progression", row))
    return found
