"""visual_novel work owner/updated index (raw SQL: Piccolo has no composite-index API; works on both engines)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-05T08:01:34:753299"
VERSION = "1.38.0"
DESCRIPTION = "visual_novel work owner/updated index"

STATEMENTS = [
    "CREATE INDEX IF NOT EXISTS visual_novel_work_profile_owner_updated ON visual_novel_work_profile (owner_user_id, updated_at)",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="visual_novel", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        for statement in STATEMENTS:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
