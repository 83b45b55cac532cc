"""The database's indexes are exactly the ones listed in db/indexes.py."""

from __future__ import annotations

from db.apps import all_tables
from db.indexes import expected_indexes
from db.tables.auth import UserAccount


async def _live_indexes(engine_name: str) -> set[tuple[str, tuple[str, ...], bool]]:
    found: set[tuple[str, tuple[str, ...], bool]] = set()
    tables = [table._meta.tablename for table in all_tables()]
    if engine_name == "postgres":
        rows = await UserAccount.raw(
            "SELECT t.relname AS table_name, ix.indisunique AS is_unique, "
            "array_to_string(ARRAY(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY "
            "AS k(attnum, n) JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum "
            "ORDER BY k.n), ',') AS columns "
            "FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid "
            "JOIN pg_namespace ns ON ns.oid = t.relnamespace "
            "WHERE ns.nspname = 'public' AND NOT ix.indisprimary"
        )
        for row in rows:
            if row["table_name"] in tables:
                found.add((row["table_name"], tuple(row["columns"].split(",")), row["is_unique"]))
        return found
    for table in tables:
        for index in await UserAccount.raw(f"PRAGMA index_list('{table}')"):
            if index["origin"] == "pk":
                continue
            columns = await UserAccount.raw(f"PRAGMA index_info('{index['name']}')")
            names = tuple(column["name"] for column in sorted(columns, key=lambda c: c["seqno"]))
            found.add((table, names, bool(index["unique"])))
    return found


async def test_live_indexes_match_the_list(engine_name: str) -> None:
    # given the migrated database / when its indexes are read
    live = await _live_indexes(engine_name)
    # then they are exactly the documented ones
    assert live == expected_indexes()
