"""SQLite with kept connections.

Piccolo's SQLiteEngine opens a new connection for every statement outside a transaction
and for every transaction: a new thread (aiosqlite), the file opened, the schema parsed
again, `PRAGMA foreign_keys` sent before every statement. Under a stream of small writes
and reads (AI-task chunks and their subscribers) that is most of the process's time.

`PooledSQLiteEngine` keeps up to `max_size` connections per process once `start_pool`
(db/engine.py) has opened the pool, each set up once (foreign keys on, rows as dicts, the
busy timeout of the engine). Statements outside a transaction borrow a connection for one
statement (autocommit); a transaction holds one from BEGIN to COMMIT or ROLLBACK. A
connection goes back to the pool only outside a transaction: one returned mid-transaction
(its holder was cancelled) is rolled back first.

Write transactions (`BEGIN IMMEDIATE`, db/transactions.py) of this process also queue on
an asyncio lock before they take a connection: SQLite's busy handler polls with sleeps of
up to 100 ms, so writers waiting inside SQLite for each other add that much latency, while
the lock hands over at once (writers of other processes still meet the busy timeout).
Waiting for the lock is bounded by the same timeout, then fails as SQLite would ("database
is locked"). Without a started pool, or from another event loop than the pool's, the
engine behaves exactly as Piccolo's.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from typing import Any

import aiosqlite
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType, dict_factory

logger = logging.getLogger("genarrative.sqlite")

# RETURNING (used instead of Piccolo's ROWID fallback) needs SQLite 3.35.
_RETURNING = sqlite3.sqlite_version_info >= (3, 35)


class ConnectionPool:
    """Connections of one event loop: at most `max_size` lent at once (a semaphore), kept
    open between loans."""

    def __init__(self, connection_kwargs: dict[str, Any], max_size: int) -> None:
        self.loop = asyncio.get_running_loop()
        self.connection_kwargs = connection_kwargs
        self.max_size = max_size
        self.slots = asyncio.Semaphore(max_size)
        self.idle: list[aiosqlite.Connection] = []
        self.opened: set[aiosqlite.Connection] = set()
        self.closed = False
        self.cleanups: set[asyncio.Task[None]] = set()
        self.write_lock = asyncio.Lock()
        self.lock_timeout = float(connection_kwargs.get("timeout", 5.0))

    async def lock_writes(self) -> None:
        try:
            async with asyncio.timeout(self.lock_timeout):
                await self.write_lock.acquire()
        except TimeoutError:
            raise sqlite3.OperationalError("database is locked") from None

    async def acquire(self) -> aiosqlite.Connection:
        await self.slots.acquire()
        try:
            return self.idle.pop() if self.idle else await self._open()
        except BaseException:
            self.slots.release()
            raise

    async def _open(self) -> aiosqlite.Connection:
        connection = await aiosqlite.connect(**self.connection_kwargs)
        try:
            await connection.execute_fetchall("PRAGMA foreign_keys = 1")
        except BaseException:
            connection.stop()
            raise
        connection.row_factory = dict_factory  # type: ignore[assignment]
        self.opened.add(connection)
        return connection

    def _discard(self, connection: aiosqlite.Connection) -> None:
        if connection not in self.opened:
            return  # closed already (by `close`, while it was lent)
        self.opened.remove(connection)
        connection.stop()  # closes it on its own thread, without waiting
        self.slots.release()

    def release(self, connection: aiosqlite.Connection) -> None:
        """Give a connection back; never waits (it may run while its holder is being
        cancelled). One still in a transaction is rolled back first, keeping its slot."""
        if self.closed:
            self._discard(connection)
        elif connection.in_transaction:
            task = self.loop.create_task(self._roll_back_and_return(connection))
            self.cleanups.add(task)
            task.add_done_callback(self.cleanups.discard)
        else:
            self.idle.append(connection)
            self.slots.release()

    async def _roll_back_and_return(self, connection: aiosqlite.Connection) -> None:
        try:
            await connection.execute_fetchall("ROLLBACK")
        except Exception:
            logger.exception("rolling back a returned SQLite connection failed; closing it")
            self._discard(connection)
            return
        self.release(connection)

    async def close(self) -> None:
        self.closed = True
        if self.cleanups:
            await asyncio.gather(*self.cleanups, return_exceptions=True)
        idle, self.idle = self.idle, []
        for connection in idle:
            self.opened.discard(connection)
            await connection.close()
        # Connections still lent (their holders outlive the pool) are closed too: each
        # runs a thread that would otherwise keep the process from exiting.
        for connection in list(self.opened):
            self._discard(connection)


class PooledConnection:
    """A pooled connection lent to a transaction: `close()` gives it back (once)."""

    def __init__(self, pool: ConnectionPool, connection: aiosqlite.Connection) -> None:
        self.pool = pool
        self.connection: aiosqlite.Connection | None = connection

    async def execute(self, sql: str, parameters: Any = None) -> Any:
        """Runs the statement and fetches its rows in one call on the connection's thread:
        a caller cancelled between the two would leave a statement open, and with it a
        read snapshot that later borrowers of the connection would still see."""
        assert self.connection is not None, "connection used after its transaction ended"
        return await self.connection.execute_fetchall(sql, parameters)

    async def close(self) -> None:
        self.give_back()

    def give_back(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None:
            self.pool.release(connection)


class PooledTransaction(SQLiteTransaction):
    write_pool: ConnectionPool | None = None  # the pool whose write lock this transaction holds

    async def __aenter__(self) -> SQLiteTransaction:
        if self._parent is not None:
            return self._parent
        engine = self.engine
        assert isinstance(engine, PooledSQLiteEngine)
        pool = engine.usable_pool()
        if pool is not None and self.transaction_type is not TransactionType.deferred:
            await pool.lock_writes()
            self.write_pool = pool
        try:
            return await super().__aenter__()
        except BaseException:
            # BEGIN failed (or was cancelled) after the connection was lent.
            connection = getattr(self, "connection", None)
            if isinstance(connection, PooledConnection):
                connection.give_back()
            self._unlock()
            raise

    async def __aexit__(self, exception_type: Any, exception: Any, traceback: Any) -> bool:
        try:
            return bool(await super().__aexit__(exception_type, exception, traceback))
        finally:
            # Piccolo closes the connection and resets the current transaction at the end
            # of a successful exit; if the exit itself failed (a COMMIT refused, a
            # cancellation), both still happen here. A nested transaction owns neither.
            if self._parent is None:
                if isinstance(self.connection, PooledConnection):
                    self.connection.give_back()
                if self.engine.current_transaction.get() is self:
                    self.engine.current_transaction.reset(self.context)
                self._unlock()

    def _unlock(self) -> None:
        pool, self.write_pool = self.write_pool, None
        if pool is not None:
            pool.write_lock.release()


class PooledSQLiteEngine(SQLiteEngine):
    """Piccolo's SQLiteEngine with a pool of kept connections (see the module doc)."""

    def __init__(self, path: str, **connection_kwargs: Any) -> None:
        super().__init__(path=path, **connection_kwargs)
        self.pool: ConnectionPool | None = None

    def open_pool(self, *, max_size: int) -> bool:
        if self.pool is not None:
            return False
        self.pool = ConnectionPool(self.connection_kwargs, max_size)
        return True

    async def close_pool(self) -> None:
        pool, self.pool = self.pool, None
        if pool is not None:
            await pool.close()

    def usable_pool(self) -> ConnectionPool | None:
        pool = self.pool
        if pool is None or not _RETURNING or pool.loop is not asyncio.get_running_loop():
            return None
        return pool

    def transaction(
        self,
        transaction_type: TransactionType = TransactionType.deferred,
        allow_nested: bool = True,
    ) -> SQLiteTransaction:
        return PooledTransaction(
            engine=self, transaction_type=transaction_type, allow_nested=allow_nested
        )

    async def get_connection(self) -> Any:
        pool = self.usable_pool()
        if pool is None:
            return await super().get_connection()
        return PooledConnection(pool, await pool.acquire())

    async def _run_in_new_connection(
        self,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: Any = None,
    ) -> Any:
        pool = self.usable_pool()
        if pool is None:
            return await super()._run_in_new_connection(query, args, query_type, table)
        connection = await pool.acquire()
        try:
            return await connection.execute_fetchall(query, args or [])
        finally:
            pool.release(connection)

    async def _run_in_existing_connection(
        self,
        connection: Any,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: Any = None,
    ) -> Any:
        if not isinstance(connection, PooledConnection):
            return await super()._run_in_existing_connection(
                connection, query, args, query_type, table
            )
        # Set up once when opened: no `PRAGMA foreign_keys` per statement.
        return await connection.execute(query, args or [])
