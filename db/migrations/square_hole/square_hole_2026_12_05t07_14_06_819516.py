"""square hole composite indexes (raw SQL: Piccolo has no composite-index API; works on both engines)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-05T07:14:06:819516"
VERSION = "1.38.0"
DESCRIPTION = "square hole composite indexes"

STATEMENTS = [
    "CREATE INDEX IF NOT EXISTS square_hole_work_profile_owner_updated ON square_hole_work_profile (owner_user_id, updated_at)",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="square_hole", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        for statement in STATEMENTS:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
