"""Recognising constraint violations and transient failures on either engine."""

import sqlite3

import asyncpg

from db.faults import is_unavailable


def is_unique_violation(error: BaseException) -> bool:
    if isinstance(error, asyncpg.UniqueViolationError):
        return True
    return isinstance(error, sqlite3.IntegrityError) and "UNIQUE" in str(error)


# A transaction that lost a conflict: serialization failure, deadlock.
_CONFLICT_SQLSTATES = frozenset({"40001", "40P01"})


def is_transient(error: BaseException) -> bool:
    """A database error worth retrying the same work after: the database is unreachable
    or the connection was lost (`db.faults.is_unavailable`; the pool opens a new one), or
    the transaction lost a conflict (serialization failure, deadlock)."""
    if is_unavailable(error):
        return True
    if isinstance(error, asyncpg.PostgresError):
        return str(getattr(error, "sqlstate", "") or "") in _CONFLICT_SQLSTATES
    return isinstance(error, sqlite3.OperationalError) and "database is busy" in str(error)


def is_rejected_row(error: BaseException) -> bool:
    """A row the database refuses: a constraint (unique, not null, check) or a value its
    column cannot hold."""
    if isinstance(error, asyncpg.IntegrityConstraintViolationError | asyncpg.DataError):
        return True
    return isinstance(error, sqlite3.IntegrityError)
