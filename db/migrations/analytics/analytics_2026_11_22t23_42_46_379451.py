"""analytics composite indexes (raw SQL: Piccolo has no composite-index API; works on both engines)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-22T23:42:46:379451"
VERSION = "1.38.0"
DESCRIPTION = "analytics composite indexes"

STATEMENTS = [
    "CREATE INDEX IF NOT EXISTS tracking_event_scope ON tracking_event (scope_kind, scope_id)",
    "CREATE INDEX IF NOT EXISTS tracking_event_user_occurred ON tracking_event (user_id, occurred_at)",
    "CREATE INDEX IF NOT EXISTS tracking_daily_stat_key_day ON tracking_daily_stat (event_key, day_key)",
    "CREATE INDEX IF NOT EXISTS tracking_daily_stat_scope_day ON tracking_daily_stat (scope_kind, scope_id, day_key)",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="analytics", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        for statement in STATEMENTS:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
