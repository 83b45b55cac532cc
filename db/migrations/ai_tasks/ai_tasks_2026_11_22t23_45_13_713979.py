"""ai_tasks composite indexes (raw SQL: Piccolo has no composite-index API; works on both engines)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-22T23:45:13:713979"
VERSION = "1.38.0"
DESCRIPTION = "ai_tasks composite indexes"

STATEMENTS = [
    "CREATE UNIQUE INDEX IF NOT EXISTS ai_task_stage_task_order ON ai_task_stage (task_id, stage_order)",
    "CREATE UNIQUE INDEX IF NOT EXISTS ai_task_stage_task_kind ON ai_task_stage (task_id, stage_kind)",
    "CREATE UNIQUE INDEX IF NOT EXISTS ai_text_chunk_task_stage_sequence ON ai_text_chunk (task_id, stage_kind, sequence)",
    "CREATE UNIQUE INDEX IF NOT EXISTS ai_text_chunk_task_chunk ON ai_text_chunk (task_id, chunk_id)",
    "CREATE UNIQUE INDEX IF NOT EXISTS ai_result_reference_task_ref ON ai_result_reference (task_id, result_ref_id)",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="ai_tasks", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        assert engine is not None
        for statement in STATEMENTS:
            await engine.run_ddl(statement)

    manager.add_raw(run)
    return manager
