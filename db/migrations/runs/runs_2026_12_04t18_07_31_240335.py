"""runs composite indexes (raw SQL: Piccolo has no composite-index API; works on both engines)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-04T18:07:31:240335"
VERSION = "1.38.0"
DESCRIPTION = "runs composite indexes"

STATEMENTS = [
    "CREATE INDEX IF NOT EXISTS runs_run_owner_updated ON runs_run (owner_user_id, updated_at)",
    "CREATE INDEX IF NOT EXISTS runs_run_owner_status_updated ON runs_run (owner_user_id, status, updated_at)",
    "CREATE INDEX IF NOT EXISTS runs_run_status_deadline ON runs_run (status, deadline_at)",
    "CREATE INDEX IF NOT EXISTS runs_run_purged_finished ON runs_run (events_purged_at, finished_at)",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="runs", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        for statement in STATEMENTS:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
