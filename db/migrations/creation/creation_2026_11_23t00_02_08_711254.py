"""creation composite indexes (raw SQL: Piccolo has no composite-index API; works on both engines)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-23T00:02:08:711254"
VERSION = "1.38.0"
DESCRIPTION = "creation composite indexes"

STATEMENTS = [
    "CREATE INDEX IF NOT EXISTS creation_agent_operation_session ON creation_agent_operation (play_type, session_id, created_at)",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="creation", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        for statement in STATEMENTS:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
