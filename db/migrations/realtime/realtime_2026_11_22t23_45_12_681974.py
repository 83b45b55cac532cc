"""realtime composite indexes (raw SQL: Piccolo has no composite-index API; works on both engines)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-22T23:45:12:681974"
VERSION = "1.38.0"
DESCRIPTION = "realtime composite indexes"

STATEMENTS = [
    "CREATE UNIQUE INDEX IF NOT EXISTS realtime_stream_event_stream_sequence ON realtime_stream_event (stream_key, sequence)",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="realtime", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        for statement in STATEMENTS:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
