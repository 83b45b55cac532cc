"""Engine settings the rest of the code relies on."""

from __future__ import annotations

import pytest

from db.tables.auth import UserAccount


async def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(engine_name: str) -> None:
    if engine_name != "sqlite":
        pytest.skip("SQLite only")
    rows = await UserAccount.raw("PRAGMA journal_mode")
    assert rows == [{"journal_mode": "wal"}]
    assert UserAccount._meta.db.connection_kwargs["timeout"] == 30


async def test_an_app_leaves_a_pool_it_did_not_open_alone(engine_name: str) -> None:
    # given the test session's pool / when an app starts and stops / then the pool survives
    if engine_name != "postgres":
        pytest.skip("PostgreSQL only")
    from asgi_lifespan import LifespanManager

    from app import create_app

    engine = UserAccount._meta.db
    pool = engine.pool
    assert pool is not None
    async with LifespanManager(create_app()):
        pass
    assert engine.pool is pool
    assert await UserAccount.count() == 0
