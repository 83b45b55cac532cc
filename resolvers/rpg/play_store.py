"""Rows of part 2's tables (battle_state, treasure_record, quest_record, quest_log,
player_progression, chapter_progression): raw SQL on both engines, JSON given as Python
values and read back as typed rows (play_rows.py, quest_rows.py), each statement taking
the row class for its table. Every write runs inside the run's transaction (store.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Protocol, Self, TypeVar

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
from resolvers.rpg.play_rows import (
    BattleStateRow,
    ChapterProgressionRow,
    PlayerProgressionRow,
    TreasureRecordRow,
)
from resolvers.rpg.quest_rows import QuestLogRow, QuestRecordRow


class PlayRow(Protocol):
    """A typed row of a part 2 table: its table, key column and JSON columns."""

    TABLE: ClassVar[str]
    KEY: ClassVar[str]
    JSON: ClassVar[tuple[str, ...]]

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Self: ...


R = TypeVar("R", bound=PlayRow)


def _value(kind: type[PlayRow], key: str, value: Any) -> Any:
    return store.dumps(value) if key in kind.JSON else value


async def insert(kind: type[R], row: Mapping[str, Any]) -> R:
    names = list(row)
    rows = await BattleState.raw(
        f"INSERT INTO {kind.TABLE} ({', '.join(names)}) "
        f"VALUES ({', '.join('{}' for _ in names)}) RETURNING *",
        *(_value(kind, k, v) for k, v in row.items()),
    )
    return kind.from_row(rows[0])


async def update(kind: type[R], key_value: str, **columns: Any) -> R:
    names = list(columns)
    rows = await BattleState.raw(
        f"UPDATE {kind.TABLE} SET "
        + ", ".join(f"{name} = {{}}" for name in names)
        + f" WHERE {kind.KEY} = {{}} RETURNING *",
        *(_value(kind, k, v) for k, v in columns.items()),
        key_value,
    )
    return kind.from_row(rows[0])


async def one(kind: type[R], where: str, *values: Any) -> R | None:
    rows = await BattleState.raw(f"SELECT * FROM {kind.TABLE} WHERE {where}", *values)
    return kind.from_row(rows[0]) if rows else None


async def _of(
    table: type[Table], kind: type[R], runtime_session_ids: Sequence[str], order: Any
) -> dict[str, list[R]]:
    found: dict[str, list[R]] = {rid: [] for rid in runtime_session_ids}
    if not runtime_session_ids:
        return found
    column = table._meta.get_column_by_name("runtime_session_id")
    rows = await table.select().where(column.is_in(list(runtime_session_ids))).order_by(*order)
    for row in rows:
        found[row["runtime_session_id"]].append(kind.from_row(row))
    return found


async def battles_of(runtime_session_ids: Sequence[str]) -> dict[str, list[BattleStateRow]]:
    return await _of(
        BattleState,
        BattleStateRow,
        runtime_session_ids,
        (BattleState.created_at, BattleState.battle_state_id),
    )


async def treasures_of(runtime_session_ids: Sequence[str]) -> dict[str, list[TreasureRecordRow]]:
    return await _of(
        TreasureRecord,
        TreasureRecordRow,
        runtime_session_ids,
        (TreasureRecord.created_at, TreasureRecord.treasure_record_id),
    )


async def quests_of(runtime_session_ids: Sequence[str]) -> dict[str, list[QuestRecordRow]]:
    return await _of(
        QuestRecord,
        QuestRecordRow,
        runtime_session_ids,
        (QuestRecord.created_at, QuestRecord.quest_id),
    )


async def quest_logs_of(runtime_session_ids: Sequence[str]) -> dict[str, list[QuestLogRow]]:
    return await _of(
        QuestLog, QuestLogRow, runtime_session_ids, (QuestLog.created_at, QuestLog.log_id)
    )


async def raw(sql: str, *values: Any) -> list[dict[str, Any]]:
    return list(await BattleState.raw(sql, *values))


async def insert_new(kind: type[R], row: Mapping[str, Any]) -> R | None:
    """Insert unless a unique key already holds a row (`ON CONFLICT DO NOTHING`): the row
    inserted, or None. Both engines."""
    names = list(row)
    rows = await BattleState.raw(
        f"INSERT INTO {kind.TABLE} ({', '.join(names)}) "
        f"VALUES ({', '.join('{}' for _ in names)}) ON CONFLICT DO NOTHING RETURNING *",
        *(_value(kind, k, v) for k, v in row.items()),
    )
    return kind.from_row(rows[0]) if rows else None


async def progressions_of(user_ids: Sequence[str]) -> dict[str, PlayerProgressionRow]:
    """Each user's `player_progression` row (absent: no XP yet)."""
    if not user_ids:
        return {}
    rows = await PlayerProgression.select().where(PlayerProgression.user_id.is_in(list(user_ids)))
    return {row["user_id"]: PlayerProgressionRow.from_row(row) for row in rows}


async def chapters_of(user_ids: Sequence[str]) -> dict[str, list[ChapterProgressionRow]]:
    """Each user's `chapter_progression` rows (every world's), by chapter id."""
    found: dict[str, list[ChapterProgressionRow]] = {uid: [] for uid in user_ids}
    if not user_ids:
        return found
    rows = await (
        ChapterProgression.select()
        .where(ChapterProgression.user_id.is_in(list(user_ids)))
        .order_by(ChapterProgression.chapter_id)
    )
    for row in rows:
        found[row["user_id"]].append(ChapterProgressionRow.from_row(row))
    return found
