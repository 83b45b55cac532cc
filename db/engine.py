"""Engine construction and the few engine-specific behaviours the other layers rely on."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from piccolo.engine.base import Engine as BaseEngine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

from db.sqlite_pool import PooledSQLiteEngine

Engine = BaseEngine[Any]

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = ROOT / "var" / "genarrative.sqlite"
# Seconds a SQLite writer waits for the lock before "database is locked".
SQLITE_BUSY_TIMEOUT = 30


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
        path.parent.mkdir(parents=True, exist_ok=True)
        _enable_wal(path)
        return PooledSQLiteEngine(path=str(path), timeout=SQLITE_BUSY_TIMEOUT)
    if urlparse(url).scheme not in ("postgres", "postgresql"):
        raise ValueError("DATABASE_URL must be empty, sqlite:///<path> or postgres://…")
    return PostgresEngine(config={"dsn": url})


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
        await engine.start_connection_pool(min_size=1, max_size=max_size)
        return True
    return False


async def close_pool(engine: Engine) -> None:
    if isinstance(engine, PooledSQLiteEngine):
        await engine.close_pool()
    elif isinstance(engine, PostgresEngine):
        await engine.close_connection_pool()
