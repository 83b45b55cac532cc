"""profile_played_world composite indexes (raw SQL: Piccolo has no composite-index API; works on both engines)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-04T18:07:31:350104"
VERSION = "1.38.0"
DESCRIPTION = "profile_played_world composite indexes"

STATEMENTS = [
    "CREATE UNIQUE INDEX IF NOT EXISTS profile_played_world_user_world ON profile_played_world (user_id, world_key)",
    "CREATE INDEX IF NOT EXISTS profile_played_world_user_last_played ON profile_played_world (user_id, last_played_at)",
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
