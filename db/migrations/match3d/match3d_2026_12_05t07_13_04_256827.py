"""match3d work owner/updated index (raw SQL: Piccolo has no composite-index API; works on both engines)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-05T07:13:04:256827"
VERSION = "1.38.0"
DESCRIPTION = "match3d work owner/updated index"

STATEMENTS = [
    "CREATE INDEX IF NOT EXISTS match3d_work_profile_owner_updated ON match3d_work_profile (owner_user_id, updated_at)",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="match3d", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        for statement in STATEMENTS:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
