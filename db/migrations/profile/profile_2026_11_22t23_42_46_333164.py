"""profile composite indexes (raw SQL: Piccolo has no composite-index API; works on both engines)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-22T23:42:46:333164"
VERSION = "1.38.0"
DESCRIPTION = "profile composite indexes"

STATEMENTS = [
    "CREATE UNIQUE INDEX IF NOT EXISTS user_browse_history_user_owner_profile ON user_browse_history (user_id, owner_user_id, profile_id)",
    "CREATE INDEX IF NOT EXISTS user_browse_history_user_visited ON user_browse_history (user_id, visited_at)",
    "CREATE UNIQUE INDEX IF NOT EXISTS profile_save_archive_user_world ON profile_save_archive (user_id, world_key)",
    "CREATE INDEX IF NOT EXISTS profile_save_archive_user_saved ON profile_save_archive (user_id, saved_at)",
    "CREATE INDEX IF NOT EXISTS profile_feedback_submission_user_created ON profile_feedback_submission (user_id, created_at)",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="profile", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        for statement in STATEMENTS:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
