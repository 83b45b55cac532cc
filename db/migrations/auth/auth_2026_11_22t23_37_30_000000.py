"""auth composite indexes (raw SQL: Piccolo has no composite-index API; works on both engines)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-22T23:37:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "auth composite indexes"

STATEMENTS = [
    "CREATE UNIQUE INDEX IF NOT EXISTS auth_identity_provider_uid ON auth_identity (provider, provider_uid)",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="auth", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        for statement in STATEMENTS:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
