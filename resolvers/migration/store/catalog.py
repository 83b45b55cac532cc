"""What the database says about itself: its engine, the applied migrations (the schema's
version) and PostgreSQL's collation."""

from __future__ import annotations

from typing import Any

from piccolo.engine.base import Engine

from db.tables.auth import UserAccount


def database_engine() -> Engine[Any]:
    """The engine every project table runs on."""
    return UserAccount._meta.db


async def applied_migrations() -> list[str]:
    """The schema's version: every applied migration as `app:id`, sorted."""
    # Raw: Piccolo's own `migration` table, which has no Table class among ours.
    rows = await UserAccount.raw("SELECT app_name, name FROM migration")
    return sorted(f"{row['app_name']}:{row['name']}" for row in rows)


async def database_collation() -> str | None:
    """The PostgreSQL database's collation (`datcollate`); None when it has no row."""
    # Raw: PostgreSQL's catalog (pg_database), which has no Table class.
    rows = await UserAccount.raw(
        "SELECT datcollate FROM pg_database WHERE datname = current_database()"
    )
    return str(rows[0]["datcollate"]) if rows else None
