"""Rows of part 2's tables (battle_state, treasure_record, quest_record, quest_log,
player_progression, chapter_progression) through Piccolo's query builder, JSON given as
Python values and read back as typed rows (play_rows.py, quest_rows.py), each statement
taking the row class for its table (columns named by keyword are checked against the
table before the statement runs). Every write runs inside the run's transaction
(store/story.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Protocol, Self, TypeVar

from piccolo.columns import Column, Integer
from piccolo.custom_types import Combinable
from piccolo.table import Table

from db.tables.rpg import (
    BattleState,
    ChapterProgression,
    PlayerProgression,
    QuestLog,
    QuestRecord,
    TreasureRecord,
)
from resolvers.rpg.changes import dumps
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


TABLES: dict[str, type[Table]] = {
    table._meta.tablename: table
    for table in (
        BattleState,
        TreasureRecord,
        QuestRecord,
        QuestLog,
        PlayerProgression,
        ChapterProgression,
    )
}


def _table(kind: type[PlayRow]) -> type[Table]:
    return TABLES[kind.TABLE]


def _values(kind: type[PlayRow], columns: Mapping[str, Any]) -> dict[str, Any]:
    return {k: dumps(v) if k in kind.JSON else v for k, v in columns.items()}


def _matching(table: type[Table], where: Mapping[str, Any]) -> Combinable:
    """`column = value AND …` for columns named by keyword (ValueError for an unknown one)."""
    combined: Combinable | None = None
    for name, value in where.items():
        condition = table._meta.get_column_by_name(name) == value
        combined = condition if combined is None else combined & condition
    assert combined is not None, "a row is always chosen by some column"
    return combined


def _row(kind: type[R], row: Mapping[str, Any]) -> Table:
    # Every column is written: the ones `row` leaves out take the table's defaults.
    return _table(kind)(**_values(kind, row))


async def insert(kind: type[R], row: Mapping[str, Any]) -> R:
    table = _table(kind)
    rows = await table.insert(_row(kind, row)).returning(*table.all_columns())
    return kind.from_row(rows[0])


async def update(kind: type[R], key_value: str, **columns: Any) -> R:
    """Set `columns` on the row with key `key_value`; the row after."""
    return await update_where(kind, _values(kind, columns), **{kind.KEY: key_value})


async def update_where(kind: type[R], values: Mapping[str, Any], **where: Any) -> R:
    """Set `values` (SQL values as given: a JSON column's text, `column + n`) on the one
    row matching `where`; the row after."""
    table = _table(kind)
    changes: dict[Column | str, Any] = {name: value for name, value in values.items()}
    rows = await (
        table.update(changes).where(_matching(table, where)).returning(*table.all_columns())
    )
    return kind.from_row(rows[0])


async def add_to(kind: type[R], amounts: Mapping[str, int], **where: Any) -> R:
    """Add `amounts` to integer columns of the one row matching `where` (one statement, so
    concurrent additions never lose one); the row after."""
    table = _table(kind)
    values: dict[str, Any] = {}
    for name, amount in amounts.items():
        column = table._meta.get_column_by_name(name)
        assert isinstance(column, Integer), f"{name} is not an integer column"
        values[name] = column + amount
    return await update_where(kind, values, **where)


async def one(kind: type[R], **where: Any) -> R | None:
    """The row whose columns equal `where`'s values (at most one matches)."""
    table = _table(kind)
    row = await table.select().where(_matching(table, where)).first()
    return kind.from_row(row) if row is not None else None


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


async def insert_new(kind: type[R], row: Mapping[str, Any]) -> R | None:
    """Insert unless a unique key already holds a row (`ON CONFLICT DO NOTHING`): the row
    inserted, or None. Both engines."""
    table = _table(kind)
    rows = await (
        table.insert(_row(kind, row))
        .on_conflict(action="DO NOTHING")
        .returning(*table.all_columns())
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
