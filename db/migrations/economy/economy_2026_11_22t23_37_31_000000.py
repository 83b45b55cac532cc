"""economy composite indexes (raw SQL: Piccolo has no composite-index API; works on both engines)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-22T23:37:31:000000"
VERSION = "1.38.0"
DESCRIPTION = "economy composite indexes"

STATEMENTS = [
    "CREATE INDEX IF NOT EXISTS profile_wallet_ledger_user_created ON profile_wallet_ledger (user_id, created_at)",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="economy", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        for statement in STATEMENTS:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
