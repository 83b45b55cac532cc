"""Puzzle's leaderboard statements: the best-time upsert, ranks, board pages, the viewer's
entry and the leaderboard events (resolvers/puzzle/leaderboard.py has the rules)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from db.tables.puzzle import PuzzleLeaderboardEntry, PuzzleLeaderboardEvent
from resolvers.auth.store.fragments import DISPLAY_NAME_OF
from resolvers.puzzle.rows import PuzzleLeaderboardEventRow

ENTRY_COLUMNS = "entry_id, user_id, nickname, best_elapsed_ms, last_run_id, updated_at"
Entry = PuzzleLeaderboardEntry
ENTRY_SELECT = (
    Entry.entry_id,
    Entry.user_id,
    Entry.nickname,
    Entry.best_elapsed_ms,
    Entry.last_run_id,
    Entry.updated_at,
)
# Entries better than `e` on the same board (the ranking index serves it).
_BETTER = (
    "SELECT COUNT(*) FROM puzzle_leaderboard_entry b WHERE b.profile_id = e.profile_id "
    "AND b.grid_size = e.grid_size AND (b.best_elapsed_ms < e.best_elapsed_ms OR "
    "(b.best_elapsed_ms = e.best_elapsed_ms AND b.updated_at < e.updated_at))"
)


async def rank_of(entry_id: str) -> int:
    """An entry's rank on its board: 1 + the number of better entries."""
    # Raw: a correlated COUNT subquery over the same table, which the builder cannot write.
    rows = await Entry.raw(
        f"SELECT 1 + ({_BETTER}) AS rank FROM puzzle_leaderboard_entry e WHERE e.entry_id = {{}}",
        entry_id,
    )
    return int(rows[0]["rank"])


async def keep_best(
    *,
    entry_id: str,
    work_id: str,
    grid_size: int,
    user_id: str,
    run_id: str,
    elapsed_ms: int,
    now: datetime,
) -> dict[str, Any] | None:
    """Keep the user's time if it is their best on the board: the row written, else None."""
    # Raw: DO UPDATE … WHERE compares `excluded` with the old row, and the nickname is
    # auth's display-name subselect: on_conflict can write neither.
    rows = await Entry.raw(
        "INSERT INTO puzzle_leaderboard_entry (entry_id, profile_id, grid_size, user_id, "
        "nickname, best_elapsed_ms, last_run_id, updated_at) VALUES ({}, {}, {}, {}, "
        f"COALESCE({DISPLAY_NAME_OF}, ''), {{}}, {{}}, {{}}) "
        "ON CONFLICT (user_id, profile_id, grid_size) DO UPDATE SET "
        "best_elapsed_ms = excluded.best_elapsed_ms, nickname = excluded.nickname, "
        "last_run_id = excluded.last_run_id, updated_at = excluded.updated_at "
        "WHERE excluded.best_elapsed_ms < puzzle_leaderboard_entry.best_elapsed_ms "
        f"RETURNING {ENTRY_COLUMNS}",
        entry_id,
        work_id,
        grid_size,
        user_id,
        user_id,
        elapsed_ms,
        run_id,
        now,
    )
    return dict(rows[0]) if rows else None


async def insert_event(
    *,
    event_id: str,
    work_id: str,
    grid_size: int,
    user_id: str,
    nickname: str,
    best_elapsed_ms: int,
    rank: int,
    run_id: str,
    now: datetime,
) -> None:
    """A leaderboard event: an improved time with its rank."""
    await PuzzleLeaderboardEvent.insert(
        PuzzleLeaderboardEvent(
            event_id=event_id,
            profile_id=work_id,
            grid_size=grid_size,
            user_id=user_id,
            nickname=nickname,
            best_elapsed_ms=best_elapsed_ms,
            rank=rank,
            run_id=run_id,
            occurred_at=now,
        )
    )


async def board_page(
    *, work_id: str, grid_size: int, after: tuple[int, datetime, str] | None, limit: int
) -> list[dict[str, Any]]:
    """Up to `limit` entries after (time, updated_at, entry id), best first."""
    board = (Entry.profile_id == work_id) & (Entry.grid_size == grid_size)
    if after is not None:
        best, moment, entry_id = after
        board &= (Entry.best_elapsed_ms > best) | (
            (Entry.best_elapsed_ms == best)
            & (
                (Entry.updated_at > moment)
                | ((Entry.updated_at == moment) & (Entry.entry_id > entry_id))
            )
        )
    rows = (
        await Entry.select(*ENTRY_SELECT)
        .where(board)
        .order_by(Entry.best_elapsed_ms, Entry.updated_at, Entry.entry_id)
        .limit(limit)
    )
    return list(rows)


async def ranked_entry_of(*, user_id: str, work_id: str, grid_size: int) -> dict[str, Any] | None:
    """A user's entry on a board with its rank (`rank`)."""
    # Raw: the rank is a correlated COUNT subquery, which the builder cannot write.
    rows = await Entry.raw(
        f"SELECT {ENTRY_COLUMNS}, 1 + ({_BETTER}) AS rank FROM puzzle_leaderboard_entry e "
        "WHERE e.user_id = {} AND e.profile_id = {} AND e.grid_size = {}",
        user_id,
        work_id,
        grid_size,
    )
    return dict(rows[0]) if rows else None


async def events_by_ids(event_ids: list[str]) -> dict[str, PuzzleLeaderboardEventRow]:
    """Leaderboard events by id, one statement (none for no ids)."""
    if not event_ids:
        return {}
    rows = await PuzzleLeaderboardEvent.select().where(
        PuzzleLeaderboardEvent.event_id.is_in(event_ids)
    )
    return {row["event_id"]: PuzzleLeaderboardEventRow.from_row(row) for row in rows}
