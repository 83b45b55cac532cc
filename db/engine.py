"""Engine construction and the few engine-specific behaviours the other layers rely on."""

from __future__ import annotations

import asyncio
import logging
import socket
import sqlite3
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import asyncpg
from piccolo.engine.base import Engine as BaseEngine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

from db.postgres_engine import ResilientPostgresEngine
from db.sqlite_pool import PooledSQLiteEngine
from observability import metrics
from settings import ConfigurationError

Engine = BaseEngine[Any]
logger = logging.getLogger("genarrative.db")

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = ROOT / "var" / "genarrative.sqlite"
# Seconds a SQLite writer waits for the lock before "database is locked".
SQLITE_BUSY_TIMEOUT = 30
# Seconds the start-up check waits for PostgreSQL to answer.
CONNECT_TIMEOUT = 5


def sqlite_path(url: str) -> Path | None:
    """The file behind a `sqlite:///path` URL (or the default), None for other engines."""
    if not url:
        return DEFAULT_SQLITE_PATH
    if url.startswith("sqlite:///"):
        return Path(url.removeprefix("sqlite:///"))
    return None


def build_engine(url: str) -> Engine:
    """The engine for DATABASE_URL: SQLite (WAL, busy timeout) or PostgreSQL (asyncpg)."""
    path = sqlite_path(url)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _enable_wal(path)
        except (OSError, sqlite3.Error) as error:
            raise ConfigurationError(
                f"DATABASE_URL: cannot open the SQLite file {path} ({error}); "
                "fix its folder's permissions or set DATABASE_URL"
            ) from None
        return PooledSQLiteEngine(path=str(path), timeout=SQLITE_BUSY_TIMEOUT)
    scheme = urlparse(url).scheme
    if scheme not in ("postgres", "postgresql"):
        raise ConfigurationError(
            f"DATABASE_URL: unsupported scheme {scheme + '://' if scheme else repr(url)}; "
            "use sqlite:///<path>, postgres://user@host:5432/db or leave it empty"
        )
    # Piccolo asks the server for its version here and only warns when it is down;
    # check_database() says so in one line when the process starts.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*Unable to (connect|fetch)")
        return ResilientPostgresEngine(config={"dsn": url})


async def check_database(engine: Engine) -> None:
    """Raise ConfigurationError (one line) when the PostgreSQL server behind DATABASE_URL
    does not answer; SQLite was opened by build_engine already."""
    if not isinstance(engine, PostgresEngine):
        return
    dsn = str(engine.config.get("dsn", ""))
    parsed = urlparse(dsn)
    where = f"{parsed.hostname or 'localhost'}:{parsed.port or 5432}"
    try:
        connection = await asyncpg.connect(dsn, timeout=CONNECT_TIMEOUT)
    except ConnectionRefusedError:
        reason = "connection refused"
    except socket.gaierror:
        reason = "unknown host"
    except TimeoutError:
        reason = f"no answer within {CONNECT_TIMEOUT} s"
    except asyncpg.InvalidCatalogNameError:
        reason = f"database {parsed.path.lstrip('/')!r} does not exist"
    except (
        asyncpg.InvalidPasswordError,
        asyncpg.InvalidAuthorizationSpecificationError,
    ) as error:
        reason = f"authentication failed: {error}"
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
        reason = str(error) or type(error).__name__
    else:
        await connection.close()
        return
    raise ConfigurationError(
        f"DATABASE_URL: cannot connect to PostgreSQL at {where} ({reason}); "
        "start it or set DATABASE_URL"
    )


def _enable_wal(path: Path) -> None:
    # WAL is a property of the file: set once, it persists for every later connection.
    with sqlite3.connect(path, timeout=SQLITE_BUSY_TIMEOUT) as connection:
        connection.execute("PRAGMA journal_mode=WAL")


def is_sqlite(engine: Engine) -> bool:
    return isinstance(engine, SQLiteEngine)


async def start_pool(engine: Engine, *, max_size: int = 10) -> bool:
    """Open the connection pool (asyncpg's, or db/sqlite_pool.py's kept SQLite
    connections); without it every query opens a connection.

    Returns True when this call opened it (and so should close it), False when the engine
    has no pool or already has one (tests share one pool across apps).
    """
    if isinstance(engine, PooledSQLiteEngine):
        return engine.open_pool(max_size=max_size)
    if isinstance(engine, PostgresEngine) and engine.pool is None:
        await check_database(engine)  # down or refused: one line, not asyncpg's traceback
        await engine.start_connection_pool(min_size=1, max_size=max_size)
        return True
    return False


def record_pool_usage(engine: Engine) -> None:
    """Put the pool's connections (lent, idle, most) in the metrics; all 0 without one."""
    in_use = idle = max_size = 0
    if isinstance(engine, PooledSQLiteEngine) and engine.pool is not None:
        idle, max_size = len(engine.pool.idle), engine.pool.max_size
        in_use = len(engine.pool.opened) - idle
    elif isinstance(engine, PostgresEngine) and engine.pool is not None:
        idle, max_size = engine.pool.get_idle_size(), engine.pool.get_max_size()
        in_use = engine.pool.get_size() - idle
    metrics.record_pool(in_use=in_use, idle=idle, max_size=max_size)


async def close_pool(engine: Engine, *, within_seconds: float | None = None) -> None:
    """Close the pool; with `within_seconds`, within that whatever the pool's state.

    asyncpg's `Pool.close()` waits for every connection to be released and closed
    gracefully, which has hung for over 60 s after `pg_terminate_backend` (a connection
    never given back): past the timeout the pool's connections are terminated instead."""
    if isinstance(engine, PooledSQLiteEngine):
        await asyncio.wait_for(engine.close_pool(), within_seconds)
    elif isinstance(engine, PostgresEngine) and engine.pool is not None:
        pool, engine.pool = engine.pool, None
        try:
            await asyncio.wait_for(pool.close(), within_seconds)
        except TimeoutError:
            logger.warning(
                "the database pool did not close within %s s; terminating it", within_seconds
            )
            pool.terminate()
