"""Recognising a database that cannot be reached right now, on either engine.

Such an error says nothing about the request: the same request may succeed a second later
(a connection terminated by `pg_terminate_backend` or a failover, a server restarting, the
pool closing during shutdown, too many connections). The surface answers it with
SERVICE_UNAVAILABLE (503, `Retry-After`) instead of a masked internal error, and stream
followers retry it before they ask the client to resubscribe.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

import asyncpg
from asyncpg.exceptions._base import InternalClientError

logger = logging.getLogger("genarrative.db")
T = TypeVar("T")

# asyncpg: class 08 (connection exceptions, e.g. ConnectionDoesNotExistError after a
# termination), 57P01-57P03 (admin/crash shutdown, "cannot connect now"), 53300 (too many
# connections), the client-side InterfaceError ("connection is closed", "pool is
# closing"), and InternalClientError, which a pooled connection whose operation was cut by a
# termination raises on its next use ("another operation is in progress"; the pool then
# replaces it).
_POSTGRES = (
    InternalClientError,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.TooManyConnectionsError,
    asyncpg.InterfaceError,
)
# SQLite: only the messages that mean "not now", never a malformed statement.
_SQLITE_MESSAGES = ("database is locked", "unable to open database file", "disk i/o error")
_CONNECT_ERRNOS = {errno.ECONNREFUSED, errno.EHOSTUNREACH, errno.ENETUNREACH, errno.ETIMEDOUT}


def is_unavailable(error: BaseException) -> bool:
    """True when `error` (or what it was raised from) means the database is unreachable or
    the connection was lost: worth retrying, not a fault of the request."""
    seen = 0
    current: BaseException | None = error
    while current is not None and seen < 5:
        if isinstance(current, _POSTGRES):
            return True
        # Connecting or talking to the server (refused, reset, unreachable, timed out);
        # not every OSError: a missing file is no outage. asyncio reports several refused
        # addresses as one OSError without errno ("Multiple exceptions: … Connect call
        # failed").
        if isinstance(current, ConnectionError | TimeoutError) or (
            isinstance(current, OSError)
            and (current.errno in _CONNECT_ERRNOS or "Connect call failed" in str(current))
        ):
            return True
        if isinstance(current, sqlite3.OperationalError) and any(
            message in str(current).lower() for message in _SQLITE_MESSAGES
        ):
            return True
        current = current.__cause__
        seen += 1
    return False


# Backoff between tries of a read that met an unavailable database: about 1.6 s in all,
# enough for a pool to replace terminated connections or a failover to settle.
RETRY_DELAYS = (0.1, 0.5, 1.0)


async def retrying(call: Callable[[], Awaitable[T]], *, delays: Sequence[float] | None = None) -> T:
    """`await call()`, tried again after each delay while it fails with `is_unavailable`;
    the last failure (or any other error) is raised. For reads only: a write retried after
    a lost connection may have committed."""
    for delay in RETRY_DELAYS if delays is None else delays:
        try:
            return await call()
        except Exception as error:
            if not is_unavailable(error):
                raise
            logger.warning("database unavailable (%r); trying again in %.1f s", error, delay)
        await asyncio.sleep(delay)
    return await call()
