"""The AI tasks' write transaction: `writing()`, queued in this process on SQLite."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from db.transactions import write_transaction
from resolvers.ai_tasks.store.tasks import on_sqlite

_writers: tuple[asyncio.AbstractEventLoop, asyncio.Lock] | None = None


def _writer_lock() -> asyncio.Lock:
    global _writers
    loop = asyncio.get_running_loop()
    if _writers is None or _writers[0] is not loop:
        _writers = (loop, asyncio.Lock())
    return _writers[1]


@contextlib.asynccontextmanager
async def writing() -> AsyncIterator[None]:
    """`write_transaction()`, queued in this process on SQLite.

    SQLite has one writer at a time anyway; writers that wait for it inside SQLite sleep in
    its busy handler (1, 2, 5 … 100 ms naps) and a stream of chunk appends from many tasks
    then sees latencies of seconds. Queued here, they take turns in order instead.
    PostgreSQL locks rows, so its writers of different tasks run side by side.
    """
    if on_sqlite():
        async with _writer_lock(), write_transaction():
            yield
    else:
        async with write_transaction():
            yield
