"""runs_run: the pause columns (`paused_at`, `paused_ms`; docs/runs.md, PAUSED runs)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import BigInt, Timestamptz
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-05T12:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "runs_run pause columns"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="runs", description=DESCRIPTION)

    manager.add_column(
        table_class_name="RunsRun",
        tablename="runs_run",
        column_name="paused_at",
        db_column_name="paused_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params={
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="RunsRun",
        tablename="runs_run",
        column_name="paused_ms",
        db_column_name="paused_ms",
        column_class_name="BigInt",
        column_class=BigInt,
        params={
            "default": 0,
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager
