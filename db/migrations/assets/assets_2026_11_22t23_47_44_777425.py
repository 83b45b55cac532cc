"""assets composite indexes (raw SQL: Piccolo has no composite-index API; works on both engines)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-22T23:47:44:777425"
VERSION = "1.38.0"
DESCRIPTION = "assets composite indexes"

STATEMENTS = [
    "CREATE UNIQUE INDEX IF NOT EXISTS asset_object_bucket_key ON asset_object (bucket, object_key)",
    "CREATE UNIQUE INDEX IF NOT EXISTS asset_entity_binding_slot ON asset_entity_binding (entity_kind, entity_id, slot)",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="assets", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        for statement in STATEMENTS:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
