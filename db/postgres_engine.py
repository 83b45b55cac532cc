"""Piccolo's PostgreSQL engine, with transactions that clean up after a lost connection.

Piccolo's `PostgresTransaction.__aexit__` gives the connection back to the pool and resets
the task's current transaction only after a COMMIT or ROLLBACK that succeeded. When the
server ended the connection (`pg_terminate_backend`, a failover), that statement raises
and neither happens: the connection is never given back (the pool shrinks, and closing it
waits for ever), and the task keeps the dead transaction as its current one, so every
later transaction of that task joins it and fails with "connection is closed" — retrying
the work could never succeed. A BEGIN that fails leaks its connection the same way.
Here both are done whatever happened (as `db/sqlite_pool.py` does for SQLite).
"""

from __future__ import annotations

import contextlib
from typing import Any

from piccolo.engine.postgres import PostgresEngine, PostgresTransaction


class _Transaction(PostgresTransaction):
    async def __aenter__(self) -> PostgresTransaction:
        if self._parent is not None:
            return self._parent
        try:
            return await super().__aenter__()
        except BaseException:
            # BEGIN failed (or was cancelled) after the connection was lent.
            await self._give_back()
            raise

    async def __aexit__(self, exception_type: Any, exception: Any, traceback: Any) -> bool:
        try:
            return bool(await super().__aexit__(exception_type, exception, traceback))
        except BaseException:
            if self._parent is None:
                await self._give_back()
                if self.engine.current_transaction.get() is self:
                    self.engine.current_transaction.reset(self.context)
            raise

    async def _give_back(self) -> None:
        connection = getattr(self, "connection", None)
        if connection is None:
            return
        self.connection = None
        # The pool rolls back what is left, or terminates a connection that cannot.
        with contextlib.suppress(Exception):
            if self.engine.pool is not None:
                await self.engine.pool.release(connection)
            else:
                connection.terminate()


class ResilientPostgresEngine(PostgresEngine):
    def transaction(self, allow_nested: bool = True) -> PostgresTransaction:
        return _Transaction(engine=self, allow_nested=allow_nested)
