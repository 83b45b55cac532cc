"""Every secondary index the database must have, gathered from the table modules.

Each `db/tables/<domain>.py` lists its indexes as `INDEXES = {(table, columns, unique)}`
(primary keys excluded). A test compares the union with the live database on both engines.
"""

from __future__ import annotations

import importlib

from db.apps import app_modules

Index = tuple[str, tuple[str, ...], bool]


def expected_indexes() -> set[Index]:
    indexes: set[Index] = set()
    for module in app_modules():
        domain = module.rsplit(".", 1)[1]
        indexes |= getattr(importlib.import_module(f"db.tables.{domain}"), "INDEXES", set())
    return indexes
