"""SQLite's kept connections and in-process write queue (db/sqlite_pool.py)."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from piccolo.querystring import QueryString

from db.sqlite_pool import ConnectionPool, PooledSQLiteEngine, PooledTransaction
from db.tables.realtime import RealtimeStreamCounter
from db.transactions import write_transaction

NOW = datetime(2026, 11, 23, tzinfo=UTC)
POOL_SIZE = 20  # the test session's pool (tests/conftest.py)


@pytest.fixture
def pool(engine_name: str) -> Iterator[ConnectionPool]:
    if engine_name != "sqlite":
        pytest.skip("SQLite only")
    engine = RealtimeStreamCounter._meta.db
    assert isinstance(engine, PooledSQLiteEngine) and engine.pool is not None
    yield engine.pool


async def _insert(key: str, sequence: int = 1) -> None:
    await RealtimeStreamCounter.raw(
        "INSERT INTO realtime_stream_counter (stream_key, sequence, updated_at) "
        "VALUES ({}, {}, {})",
        key,
        sequence,
        NOW,
    )


async def _keys() -> list[str]:
    rows = await RealtimeStreamCounter.raw(
        "SELECT stream_key FROM realtime_stream_counter ORDER BY stream_key"
    )
    return [row["stream_key"] for row in rows]


async def _settled(pool: ConnectionPool) -> None:
    """Wait for returned connections that are being rolled back."""
    await asyncio.gather(*list(pool.cleanups))


async def _assert_all_free(pool: ConnectionPool) -> None:
    """The write lock is free and every connection can be lent at once."""
    assert not pool.write_lock.locked()
    async with asyncio.timeout(5):
        lent = await asyncio.gather(*(pool.acquire() for _ in range(POOL_SIZE)))
    for connection in lent:
        pool.release(connection)


async def test_statements_reuse_the_kept_connections(pool: ConnectionPool) -> None:
    # given the pool after a burst of 60 concurrent statements
    await asyncio.gather(*(_keys() for _ in range(60)))
    first = {id(connection) for connection in pool.idle}
    # when another burst runs
    await asyncio.gather(*(_keys() for _ in range(60)))
    # then it used the same connections, never more than the pool's size
    assert 1 <= len(first) <= POOL_SIZE
    assert {id(connection) for connection in pool.idle} == first


async def test_cancelled_readers_leave_no_stale_snapshot_behind(pool: ConnectionPool) -> None:
    # given 20 readers of a long result, cancelled at different points of their read
    await asyncio.gather(*(_insert(f"k{n:03}") for n in range(200)))
    readers = [asyncio.ensure_future(_keys()) for _ in range(POOL_SIZE)]
    for yields, reader in enumerate(readers):
        for _ in range(yields):
            await asyncio.sleep(0)
        reader.cancel()
    await asyncio.gather(*readers, return_exceptions=True)
    # when a row is committed afterwards
    await _insert("z-last")
    # then every kept connection sees it
    seen = await asyncio.gather(*(_keys() for _ in range(POOL_SIZE * 2)))
    assert {keys[-1] for keys in seen} == {"z-last"}
    assert {len(keys) for keys in seen} == {201}


async def test_a_transaction_cancelled_midway_is_rolled_back_and_frees_its_connection(
    pool: ConnectionPool,
) -> None:
    # given a write transaction that inserted a row and then waits
    inserted = asyncio.Event()

    async def writer() -> None:
        async with write_transaction():
            await _insert("never")
            inserted.set()
            await asyncio.Event().wait()

    task = asyncio.ensure_future(writer())
    await inserted.wait()
    # when its holder is cancelled
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await _settled(pool)
    # then nothing was written, the write lock is free and every slot is available again
    assert await _keys() == []
    await _assert_all_free(pool)
    async with write_transaction():
        await _insert("after")
    assert await _keys() == ["after"]


async def test_in_process_writers_queue_without_losing_an_update(pool: ConnectionPool) -> None:
    # given a counter
    await _insert("counter", 0)

    async def increment() -> None:
        async with write_transaction():
            rows = await RealtimeStreamCounter.raw(
                "SELECT sequence FROM realtime_stream_counter WHERE stream_key = 'counter'"
            )
            await asyncio.sleep(0)  # let the others try to interleave
            await RealtimeStreamCounter.raw(
                "UPDATE realtime_stream_counter SET sequence = {} WHERE stream_key = 'counter'",
                rows[0]["sequence"] + 1,
            )

    # when 40 read-then-write transactions race
    await asyncio.gather(*(increment() for _ in range(40)))
    # then each saw the previous one's write
    rows = await RealtimeStreamCounter.raw("SELECT sequence FROM realtime_stream_counter")
    assert rows == [{"sequence": 40}]


async def test_a_writer_waiting_longer_than_the_busy_timeout_fails_and_writes_nothing(
    pool: ConnectionPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a write transaction holding the lock, and a short busy timeout
    monkeypatch.setattr(pool, "lock_timeout", 0.05)
    holding, done = asyncio.Event(), asyncio.Event()

    async def holder() -> None:
        async with write_transaction():
            await _insert("first")
            holding.set()
            await done.wait()

    task = asyncio.ensure_future(holder())
    await holding.wait()
    # when another writer waits for it longer than the timeout
    with pytest.raises(sqlite3.OperationalError, match="database is locked"):
        async with write_transaction():
            await _insert("second")
    done.set()
    await task
    # then only the holder's row exists
    assert await _keys() == ["first"]


async def test_without_a_started_pool_the_engine_opens_a_connection_per_statement(
    tmp_path: Path, engine_name: str
) -> None:
    if engine_name != "sqlite":
        pytest.skip("SQLite only")
    # given an engine whose pool was never started
    engine = PooledSQLiteEngine(path=str(tmp_path / "plain.sqlite"), timeout=5)
    # when it runs statements and a transaction
    await engine._run_in_new_connection("CREATE TABLE t (n INTEGER)")
    async with engine.transaction():
        await engine.run_querystring(QueryString("INSERT INTO t VALUES (1)"))
    # then they work as Piccolo's engine does, and no pool appeared
    assert await engine._run_in_new_connection("SELECT n FROM t") == [{"n": 1}]
    assert engine.pool is None


async def test_a_failed_begin_gives_back_the_connection_and_the_lock(
    pool: ConnectionPool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a BEGIN that fails
    async def failing_begin(self: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(PooledTransaction, "begin", failing_begin)
    # when a write transaction starts
    with pytest.raises(sqlite3.OperationalError, match="disk I/O error"):
        async with write_transaction():
            await _insert("never")
    monkeypatch.undo()
    # then nothing was written, and the lock and every connection are free again
    assert await _keys() == []
    await _assert_all_free(pool)


async def test_closing_the_pool_also_closes_connections_still_lent(tmp_path: Path) -> None:
    # given a pool of its own with one connection lent and one idle
    engine = PooledSQLiteEngine(path=str(tmp_path / "own.sqlite"), timeout=5)
    assert engine.open_pool(max_size=2)
    assert engine.pool is not None
    pool = engine.pool
    lent, idle = await pool.acquire(), await pool.acquire()
    pool.release(idle)
    # when the pool closes, and the lent one comes back afterwards
    await engine.close_pool()
    pool.release(lent)
    # then neither connection's thread is left running (they would keep the process alive)
    for connection in (lent, idle):
        await asyncio.to_thread(connection._thread.join, 5)
        assert not connection._thread.is_alive()
    assert pool.opened == set()
