"""rpg composite indexes (raw SQL: Piccolo has no composite-index API; works on both engines)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-05T12:01:24:592603"
VERSION = "1.38.0"
DESCRIPTION = "rpg composite indexes"

STATEMENTS = [
    "CREATE INDEX IF NOT EXISTS story_session_actor_updated ON story_session (actor_user_id, updated_at)",
    "CREATE INDEX IF NOT EXISTS story_event_session_turn ON story_event (story_session_id, turn_index)",
    "CREATE UNIQUE INDEX IF NOT EXISTS npc_state_session_npc ON npc_state (runtime_session_id, npc_id)",
    "CREATE INDEX IF NOT EXISTS inventory_slot_container_slot ON inventory_slot (container_kind, slot_key)",
    "CREATE UNIQUE INDEX IF NOT EXISTS inventory_slot_session_container_slot ON inventory_slot (runtime_session_id, container_kind, slot_key)",
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
