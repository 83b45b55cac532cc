"""On SQLite, imports and serving exclude each other through a lock file beside the
database (`<database>.serving`, docs/ops.md "Import on SQLite").

Every serving process holds a shared `flock` on it for its lifetime (`serving_lock`, taken
in the app's lifespan); an import takes it exclusively without waiting
(`exclusive_import_lock`) and is refused while any server holds it. The kernel drops a
process's lock when it exits, however it exits (kill -9 included), so a crashed server
never leaves a stale lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from piccolo.engine.base import Engine
from piccolo.engine.sqlite import SQLiteEngine


class ServerRunning(Exception):
    """An import on SQLite was asked for while a server process is serving."""


class ImportRunning(Exception):
    """A server was started on SQLite while an import holds the database."""


def lock_path(engine: Engine[Any]) -> Path | None:
    """The lock file of an SQLite engine's database; None on PostgreSQL."""
    if not isinstance(engine, SQLiteEngine):
        return None
    return Path(str(engine.path) + ".serving")


@contextlib.contextmanager
def _locked(path: Path, operation: int, refusal: Exception) -> Iterator[None]:
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, operation | fcntl.LOCK_NB)
        except BlockingIOError:
            raise refusal from None
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def serving_lock(engine: Engine[Any]) -> Iterator[None]:
    """Held while this process serves (shared: any number of servers at once)."""
    path = lock_path(engine)
    if path is None:
        yield
        return
    refusal = ImportRunning(f"an import holds {path}; start the server when it is done")
    with _locked(path, fcntl.LOCK_SH, refusal):
        yield


@contextlib.contextmanager
def exclusive_import_lock(engine: Engine[Any]) -> Iterator[None]:
    """Held while an import runs on SQLite; raises `ServerRunning` when a server serves."""
    path = lock_path(engine)
    if path is None:
        yield
        return
    refusal = ServerRunning(f"a server process or another import holds {path}")
    with _locked(path, fcntl.LOCK_EX, refusal):
        yield
