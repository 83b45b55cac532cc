"""PostgreSQL transactions whose connection the server ended leave nothing behind
(db/postgres_engine.py): the pool gets its connection back, and the task's next
transaction is a new one, not the dead one."""

from __future__ import annotations

import asyncpg
import pytest

from db.errors import is_transient
from db.tables.auth import UserAccount
from db.transactions import write_transaction
from settings import get_settings


async def _terminate(pid: int) -> None:
    admin = await asyncpg.connect(get_settings().database_url)
    try:
        await admin.execute("SELECT pg_terminate_backend($1)", pid)
    finally:
        await admin.close()


@pytest.mark.parametrize("when", ["during the transaction", "before its commit"])
async def test_a_transaction_whose_connection_was_terminated_leaves_nothing_behind(
    engine_name: str, when: str
) -> None:
    if engine_name != "postgres":
        pytest.skip("PostgreSQL connections only")
    engine = UserAccount._meta.db
    # given a transaction whose connection the server terminates
    with pytest.raises(Exception) as failed:
        async with write_transaction():
            rows = await UserAccount.raw("SELECT pg_backend_pid() AS pid")
            await _terminate(int(rows[0]["pid"]))
            if when == "during the transaction":
                await UserAccount.raw("SELECT 1")
    # then the failure is a transient one, the task has no current transaction left
    assert is_transient(failed.value)
    assert engine.current_transaction.get() is None
    # and the pool has every connection back: the next transaction works
    assert engine.pool.get_idle_size() == engine.pool.get_size()
    async with write_transaction():
        assert await UserAccount.raw("SELECT 1 AS one") == [{"one": 1}]
