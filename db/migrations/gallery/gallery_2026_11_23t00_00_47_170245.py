"""gallery composite indexes (raw SQL: Piccolo has no composite-index API; works on both engines)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-23T00:00:47:170245"
VERSION = "1.38.0"
DESCRIPTION = "gallery composite indexes"

STATEMENTS = [
    "CREATE INDEX IF NOT EXISTS public_work_play_daily_stat_work_day ON public_work_play_daily_stat (source_type, profile_id, played_day)",
    "CREATE INDEX IF NOT EXISTS public_work_like_work ON public_work_like (source_type, profile_id)",
    "CREATE UNIQUE INDEX IF NOT EXISTS gallery_public_work_type_work ON gallery_public_work (play_type, work_id)",
    "CREATE INDEX IF NOT EXISTS gallery_public_work_newest ON gallery_public_work (published_at, entry_id)",
    "CREATE INDEX IF NOT EXISTS gallery_public_work_most_liked ON gallery_public_work (like_count, published_at, entry_id)",
    "CREATE INDEX IF NOT EXISTS gallery_public_work_hot ON gallery_public_work (plays_7d, published_at, entry_id)",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="gallery", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        for statement in STATEMENTS:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
