"""Shutdown completes within SHUTDOWN_TIMEOUT_SECONDS whatever the pool's state: a step
that hangs is cut off, and a pool whose `close()` would wait forever for a connection is
terminated. (The SIGTERM of a real process: tests/crossprocess/test_faults.py.)"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import asyncpg
import pytest
from asgi_lifespan import LifespanManager
from piccolo.engine.postgres import PostgresEngine

from app import create_app
from db.engine import close_pool
from services import ShutdownDeadline
from settings import get_settings


async def test_a_pool_with_a_connection_never_given_back_is_terminated_in_time(
    engine_name: str,
) -> None:
    if engine_name != "postgres":
        pytest.skip("asyncpg's pool")
    # given a pool one of whose connections is never released (asyncpg's close() waits)
    engine = PostgresEngine(config={"dsn": get_settings().database_url})
    await engine.start_connection_pool(min_size=1, max_size=2)
    assert engine.pool is not None
    held = await engine.pool.acquire()
    # when it is closed within 0.5 s
    started = time.monotonic()
    await close_pool(engine, within_seconds=0.5)
    took = time.monotonic() - started
    # then it took that long, and the held connection is gone
    assert 0.5 <= took < 1.5
    with pytest.raises(asyncpg.InterfaceError):  # released by the termination
        await held.fetchval("SELECT 1")
    assert engine.pool is None


async def test_a_shutdown_step_that_hangs_is_cut_off(caplog: pytest.LogCaptureFixture) -> None:
    # given a budget of 0.3 s, spent by a step that never ends
    deadline = ShutdownDeadline(0.3)
    started = time.monotonic()
    await deadline.run("a stuck thing", asyncio.Event().wait())
    # then it was cut off at the budget, and the last step still gets its floor
    assert 0.3 <= time.monotonic() - started < 0.6
    assert deadline.left() == ShutdownDeadline.FLOOR_SECONDS
    assert [record.getMessage() for record in caplog.records] == [
        "shutdown: stopping a stuck thing took too long; cut off"
    ]


class StuckWorker:
    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        await asyncio.Event().wait()


async def test_the_app_shuts_down_within_the_timeout_when_its_worker_hangs(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # given an app whose generation worker never stops, and a 1 s shutdown budget
    monkeypatch.setenv("SHUTDOWN_TIMEOUT_SECONDS", "1")
    get_settings.cache_clear()
    monkeypatch.setattr("services.worker_from_settings", lambda settings: StuckWorker())
    application = create_app()
    manager: Any = LifespanManager(application, shutdown_timeout=10)
    await manager.__aenter__()
    # when it shuts down
    started = time.monotonic()
    await manager.__aexit__(None, None, None)
    took = time.monotonic() - started
    # then within the budget, the worker cut off
    assert took < 1.5
    assert "shutdown: stopping the generation worker took too long; cut off" in [
        record.getMessage() for record in caplog.records
    ]
