"""rpg part 2 composite and partial indexes (raw SQL: Piccolo has no composite-index API; works on both engines)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-05T17:19:08:295439"
VERSION = "1.38.0"
DESCRIPTION = "rpg part 2 composite and partial indexes"

STATEMENTS = [
    "CREATE INDEX IF NOT EXISTS battle_state_actor_updated ON battle_state (actor_user_id, updated_at)",
    "CREATE UNIQUE INDEX IF NOT EXISTS treasure_record_one_open ON treasure_record (runtime_session_id, encounter_id) WHERE action = 'open'",
    "CREATE INDEX IF NOT EXISTS quest_record_actor_updated ON quest_record (actor_user_id, updated_at)",
    "CREATE UNIQUE INDEX IF NOT EXISTS quest_record_session_key ON quest_record (runtime_session_id, quest_key)",
    "CREATE UNIQUE INDEX IF NOT EXISTS chapter_progression_user_chapter ON chapter_progression (user_id, chapter_id)",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="rpg", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        for statement in STATEMENTS:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
