"""Visual-novel runs: each run's catalog row (`visual_novel_runtime_run`), its story state."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from piccolo.columns import Column

from db.tables.visual_novel import VisualNovelRuntimeRun
from resolvers.visual_novel.run_state import VisualNovelRunStateRow


async def insert_run(
    *,
    run_id: str,
    owner_user_id: str,
    profile_id: str,
    mode: str,
    status: str,
    text_mode_enabled: bool,
    columns: Mapping[str, Any],
    now: datetime,
) -> None:
    """Insert a run's row at its start, with the catalog `columns` of its first state."""
    row = VisualNovelRuntimeRun(
        run_id=run_id,
        owner_user_id=owner_user_id,
        profile_id=profile_id,
        mode=mode,
        status=status,
        text_mode_enabled=text_mode_enabled,
        created_at=now,
        updated_at=now,
        recent_snapshots_json="[]",
        pending_turn_json=None,
        **columns,
    )
    await VisualNovelRuntimeRun.insert(row)


async def state_rows(run_ids: Sequence[str]) -> dict[str, VisualNovelRunStateRow]:
    """The runs' state rows (one statement; none for no ids)."""
    if not run_ids:
        return {}
    rows = await VisualNovelRuntimeRun.select().where(
        VisualNovelRuntimeRun.run_id.is_in(list(run_ids))
    )
    return {row["run_id"]: VisualNovelRunStateRow.from_row(row) for row in rows}


async def write_state(*, run_id: str, now: datetime, **columns: Any) -> None:
    """Set a run row's `columns` (stored values) and `updated_at`."""
    values: dict[Column | str, Any] = {column: value for column, value in columns.items()}
    values["updated_at"] = now
    await VisualNovelRuntimeRun.update(values).where(VisualNovelRuntimeRun.run_id == run_id)


async def set_status(*, run_id: str, status: str, now: datetime) -> None:
    """Mirror a run's status (at its end)."""
    await VisualNovelRuntimeRun.update(
        {VisualNovelRuntimeRun.status: status, VisualNovelRuntimeRun.updated_at: now}
    ).where(VisualNovelRuntimeRun.run_id == run_id)
