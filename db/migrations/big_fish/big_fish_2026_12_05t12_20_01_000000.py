"""big_fish_runtime_run: the input rate window (`input_second`, `input_count`;
docs/big-fish.md): one conditional UPDATE counts a run's inputs in the current second."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import BigInt, Integer
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-05T12:20:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "big_fish_runtime_run input rate window"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="big_fish", description=DESCRIPTION)

    manager.add_column(
        table_class_name="BigFishRuntimeRun",
        tablename="big_fish_runtime_run",
        column_name="input_second",
        db_column_name="input_second",
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

    manager.add_column(
        table_class_name="BigFishRuntimeRun",
        tablename="big_fish_runtime_run",
        column_name="input_count",
        db_column_name="input_count",
        column_class_name="Integer",
        column_class=Integer,
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
