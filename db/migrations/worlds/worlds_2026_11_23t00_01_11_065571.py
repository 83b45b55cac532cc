"""worlds composite indexes (raw SQL: Piccolo has no composite-index API; works on both engines)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-23T00:01:11:065571"
VERSION = "1.38.0"
DESCRIPTION = "worlds composite indexes"

STATEMENTS = [
    "CREATE INDEX IF NOT EXISTS custom_world_profile_owner_updated ON custom_world_profile (owner_user_id, updated_at)",
    "CREATE INDEX IF NOT EXISTS custom_world_session_owner_updated ON custom_world_session (owner_user_id, updated_at)",
    "CREATE INDEX IF NOT EXISTS custom_world_agent_session_owner_updated ON custom_world_agent_session (owner_user_id, updated_at)",
    "CREATE INDEX IF NOT EXISTS custom_world_agent_message_session_created ON custom_world_agent_message (session_id, created_at)",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="worlds", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        for statement in STATEMENTS:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
