"""economy runtime-profile composite indexes (raw SQL: Piccolo has no composite-index API; works on both engines)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-22T23:42:46:414944"
VERSION = "1.38.0"
DESCRIPTION = "economy runtime-profile composite indexes"

STATEMENTS = [
    "CREATE INDEX IF NOT EXISTS profile_task_progress_user_task ON profile_task_progress (user_id, task_id)",
    "CREATE INDEX IF NOT EXISTS profile_task_reward_claim_user_task ON profile_task_reward_claim (user_id, task_id)",
    "CREATE INDEX IF NOT EXISTS profile_redeem_code_usage_code_user ON profile_redeem_code_usage (code, user_id)",
    "CREATE INDEX IF NOT EXISTS profile_referral_relation_inviter_bound ON profile_referral_relation (inviter_user_id, bound_at)",
    "CREATE INDEX IF NOT EXISTS profile_recharge_order_user_created ON profile_recharge_order (user_id, created_at)",
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
