"""puzzle leaderboard composite indexes (raw SQL: Piccolo has no composite-index API; works on both engines)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-04T18:06:44:557780"
VERSION = "1.38.0"
DESCRIPTION = "puzzle leaderboard composite indexes"

STATEMENTS = [
    "CREATE INDEX IF NOT EXISTS puzzle_leaderboard_entry_profile_grid ON puzzle_leaderboard_entry (profile_id, grid_size)",
    "CREATE UNIQUE INDEX IF NOT EXISTS puzzle_leaderboard_entry_user_profile_grid ON puzzle_leaderboard_entry (user_id, profile_id, grid_size)",
    "CREATE INDEX IF NOT EXISTS puzzle_leaderboard_entry_ranking ON puzzle_leaderboard_entry (profile_id, grid_size, best_elapsed_ms, updated_at)",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="puzzle", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        for statement in STATEMENTS:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
