"""Write transactions that behave the same way on both engines."""

from __future__ import annotations

from typing import Any

from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from db.tables.auth import UserAccount


def write_transaction() -> Any:
    """A transaction for read-then-write work.

    SQLite takes the write lock up front (`BEGIN IMMEDIATE`): with the default deferred
    transactions, concurrent read-then-write transactions fail with "database is locked".
    PostgreSQL uses its default (read committed) and relies on conditional statements.
    """
    engine = UserAccount._meta.db
    if isinstance(engine, SQLiteEngine):
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()


def in_transaction() -> bool:
    return UserAccount._meta.db.current_transaction.get() is not None


def current_transaction() -> Any:
    """The transaction this task is in (for savepoints); raises when there is none."""
    transaction = UserAccount._meta.db.current_transaction.get()
    if transaction is None:
        raise RuntimeError("this statement must run inside write_transaction()")
    return transaction
