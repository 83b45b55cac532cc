"""Which tables an export carries: every table of `db.apps.all_tables()` is in exactly one
of CARRIED, REBUILT or EXCLUDED (tests/migration/test_tables.py fails on a table in none),
so a new table must be classified before an export can be trusted.

- CARRIED: the platform's state, exported row by row and imported as is.
- REBUILT: read models recomputed on import from carried tables (resolvers/migration/
  read_models.py), never carried.
- EXCLUDED: secrets that must not leave the platform, throttles and windows that only
  matter for minutes, worker leases, and the realtime streams' counters and events (a new
  platform starts its streams afresh); and the migration tables themselves (the catalog
  keeps them out of the export).
"""

from __future__ import annotations

from typing import cast

from piccolo.table import Table

from db.apps import all_tables

CARRIED: frozenset[str] = frozenset(
    {
        # auth (refresh sessions excluded below)
        "user_account",
        "auth_identity",
        "auth_user_role",
        "auth_store_snapshot",
        # profile, economy, analytics
        "runtime_setting",
        "runtime_snapshot",
        "user_browse_history",
        "profile_dashboard_state",
        "profile_wallet_ledger",
        "analytics_date_dimension",
        "tracking_event",
        "tracking_daily_stat",
        "profile_task_config",
        "profile_task_progress",
        "profile_task_reward_claim",
        "profile_redeem_code",
        "profile_redeem_code_usage",
        "profile_invite_code",
        "profile_referral_relation",
        "profile_played_world",
        "profile_membership",
        "profile_recharge_order",
        "profile_feedback_submission",
        "profile_save_archive",
        # gallery
        "public_work_like",
        "public_work_play_daily_stat",
        # assets
        "asset_object",
        "asset_entity_binding",
        "asset_event",
        # AI tasks
        "ai_task",
        "ai_task_stage",
        "ai_text_chunk",
        "ai_result_reference",
        "ai_task_event",
        # creation and play types
        "creation_agent_operation",
        "runs_run",
        "custom_world_profile",
        "custom_world_session",
        "custom_world_agent_session",
        "custom_world_agent_message",
        "custom_world_agent_operation",
        "custom_world_draft_card",
        "custom_world_gallery_entry",
        "puzzle_agent_session",
        "puzzle_agent_message",
        "puzzle_work_profile",
        "puzzle_event",
        "puzzle_runtime_run",
        "puzzle_leaderboard_entry",
        "match3d_agent_session",
        "match3d_agent_message",
        "match3d_work_profile",
        "match3d_runtime_run",
        "square_hole_agent_session",
        "square_hole_agent_message",
        "square_hole_work_profile",
        "square_hole_runtime_run",
        "visual_novel_agent_session",
        "visual_novel_agent_message",
        "visual_novel_work_profile",
        "visual_novel_runtime_run",
        "visual_novel_runtime_history_entry",
        "visual_novel_runtime_event",
        "big_fish_creation_session",
        "big_fish_agent_message",
        "big_fish_asset_slot",
        "big_fish_event",
        "big_fish_runtime_run",
        "story_session",
        "story_event",
        "npc_state",
        "inventory_slot",
        "battle_state",
        "treasure_record",
        "quest_record",
        "quest_log",
        "player_progression",
        "chapter_progression",
    }
)

REBUILT: dict[str, str] = {
    "gallery_public_work": "the feed's read model, projected again from the published works",
}

EXCLUDED: dict[str, str] = {
    "refresh_session": "refresh-token hashes: users sign in again on the new platform",
    "auth_refresh_token_lineage": "refresh-token hashes",
    "auth_service_credential": "service credentials: issue new ones there",
    "auth_phone_code": "phone codes",
    "auth_wechat_state": "WeChat sign-ins in flight (single use, minutes long)",
    "auth_login_throttle": "throttle",
    "economy_redeem_throttle": "throttle",
    "ai_tasks_image_quota": "daily quota counter (a throttle)",
    "runs_play_record": "the 10-minute play window (a throttle)",
    "assets_upload_ticket": "uploads in flight (their bytes are not carried)",
    "ai_tasks_worker_lease": "worker leases",
    "realtime_stream_counter": "stream counters",
    "realtime_stream_event": "stream log (events)",
    "gallery_change_event": "stream events",
    "puzzle_leaderboard_event": "stream events",
    "runs_run_event": "stream events",
    "database_migration_operator": "the migration permission itself (catalog)",
    "database_migration_import_chunk": "uploads in flight (catalog)",
}


def project_tables() -> list[type[Table]]:
    return cast(list[type[Table]], all_tables())


def unclassified() -> list[str]:
    """Tables of the project in no list (an export refuses to run while there is one)."""
    known = CARRIED | REBUILT.keys() | EXCLUDED.keys()
    return sorted(t._meta.tablename for t in project_tables() if t._meta.tablename not in known)


def carried_tables() -> list[type[Table]]:
    """The carried tables' classes, sorted by name (the order of an export)."""
    missing = unclassified()
    if missing:
        raise RuntimeError(f"tables not classified for export: {', '.join(missing)}")
    tables = [t for t in project_tables() if t._meta.tablename in CARRIED]
    return sorted(tables, key=lambda t: str(t._meta.tablename))


def table_named(name: str) -> type[Table]:
    """The project's table named `name`."""
    return next(t for t in project_tables() if t._meta.tablename == name)
