"""big fish composite indexes (raw SQL: Piccolo has no composite-index API; works on both engines)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-05T08:05:14:525244"
VERSION = "1.38.0"
DESCRIPTION = "big fish composite indexes"

STATEMENTS = [
    "CREATE INDEX IF NOT EXISTS big_fish_creation_session_owner_updated ON big_fish_creation_session (owner_user_id, updated_at)",
    "CREATE UNIQUE INDEX IF NOT EXISTS big_fish_asset_slot_session_slot_key ON big_fish_asset_slot (session_id, slot_key)",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="big_fish", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        for statement in STATEMENTS:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
