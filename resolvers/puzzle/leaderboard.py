"""Puzzle leaderboards: each user's best time per (work, grid size).

- `record_time` (inside a PLAY run's transaction, once per cleared level) is one
  conditional upsert on the unique (user_id, profile_id, grid_size): a first time inserts
  the entry, a better one replaces it, a worse or equal one changes nothing. Concurrent
  finishes of the same user are settled by that statement (the row lock on PostgreSQL, the
  write lock on SQLite): the minimum is kept whatever the order. An improvement returns
  the row; its rank is counted and a `puzzle_leaderboard_event` is numbered in the public
  stream `puzzle:lb:{work_id}:{grid_size}` (published after commit by the caller).
- Rank: 1 + the number of better entries, where better is a lower time, or the same time
  reached earlier (`updated_at`); entries equal in both share a rank. Pages are ordered
  the same way (then by entry id) with keyset cursors.
- `leaderboard` reads a page and the viewer's own entry (even outside the page) with at
  most four statements whatever the page's size: the work, the page, the rank of its first
  entry (only after a cursor), the viewer's entry with its rank.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from db.tables.puzzle import PuzzleLeaderboardEntry, PuzzleLeaderboardEvent
from resolvers.auth.store.fragments import DISPLAY_NAME_OF
from resolvers.errors import BadUserInput, NotFound
from resolvers.ids import new_id
from resolvers.pagination import Page, build_page, decode_cursor, page_size
from resolvers.principal import Principal
from resolvers.puzzle import works
from resolvers.puzzle.model import (
    LEADERBOARD_IMPROVED,
    MAX_GRID_SIZE,
    MIN_GRID_SIZE,
    leaderboard_stream,
)
from resolvers.puzzle.rows import PuzzleLeaderboardEventRow
from resolvers.runs.rows import utc_time
from subscriptions import streams

NOT_FOUND_MESSAGE = "No such puzzle work."
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


@dataclass(frozen=True, slots=True)
class LeaderboardEntry:
    """One user's best time on a board, with its rank (1 is the best)."""

    entry_id: str
    user_id: str
    nickname: str
    best_elapsed_ms: int
    rank: int
    last_run_id: str
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Leaderboard:
    """A page of one board, best first, and the viewer's own entry (None: anonymous or no
    time yet)."""

    work_id: str
    grid_size: int
    page: Page[LeaderboardEntry]
    viewer_entry: LeaderboardEntry | None


def _moment(value: Any) -> datetime:
    """A cursor's time, aware (a naive one is UTC); ValueError when it is not a time."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    moment = datetime.fromisoformat(str(value))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _entry(row: dict[str, Any], rank: int) -> LeaderboardEntry:
    return LeaderboardEntry(
        entry_id=row["entry_id"],
        user_id=row["user_id"],
        nickname=row["nickname"],
        best_elapsed_ms=int(row["best_elapsed_ms"]),
        rank=rank,
        last_run_id=row["last_run_id"],
        updated_at=utc_time(row["updated_at"]),
    )


def checked_grid_size(grid_size: int) -> int:
    if not MIN_GRID_SIZE <= grid_size <= MAX_GRID_SIZE:
        raise BadUserInput(f"`gridSize` is from {MIN_GRID_SIZE} to {MAX_GRID_SIZE}.")
    return grid_size


async def board_stream(*, viewer: Principal, work_id: str, grid_size: int) -> str:
    """The stream of a board the viewer may read (a published work, or their own);
    NOT_FOUND for any other work, BAD_USER_INPUT for a grid size outside 3..8."""
    checked_grid_size(grid_size)
    work = (await works.works_by_work_id([work_id])).get(work_id)
    if work is None or not work.visible_to(viewer.user_id):
        raise NotFound(NOT_FOUND_MESSAGE)
    return leaderboard_stream(work_id, grid_size)


async def _rank_of(entry_id: str) -> int:
    # Raw: a correlated COUNT subquery over the same table, which the builder cannot write.
    rows = await PuzzleLeaderboardEntry.raw(
        f"SELECT 1 + ({_BETTER}) AS rank FROM puzzle_leaderboard_entry e WHERE e.entry_id = {{}}",
        entry_id,
    )
    return int(rows[0]["rank"])


async def record_time(
    *,
    work_id: str,
    grid_size: int,
    user_id: str,
    run_id: str,
    elapsed_ms: int,
    now: datetime,
) -> list[streams.StreamEntry]:
    """Keep `elapsed_ms` if it is the user's best on (work, grid size); call inside the
    run's transaction. Returns the improvement's stream entries (none if not better)."""
    # Raw: DO UPDATE … WHERE compares `excluded` with the old row, and the nickname is
    # auth's display-name subselect: on_conflict can write neither.
    rows = await PuzzleLeaderboardEntry.raw(
        "INSERT INTO puzzle_leaderboard_entry (entry_id, profile_id, grid_size, user_id, "
        "nickname, best_elapsed_ms, last_run_id, updated_at) VALUES ({}, {}, {}, {}, "
        f"COALESCE({DISPLAY_NAME_OF}, ''), {{}}, {{}}, {{}}) "
        "ON CONFLICT (user_id, profile_id, grid_size) DO UPDATE SET "
        "best_elapsed_ms = excluded.best_elapsed_ms, nickname = excluded.nickname, "
        "last_run_id = excluded.last_run_id, updated_at = excluded.updated_at "
        "WHERE excluded.best_elapsed_ms < puzzle_leaderboard_entry.best_elapsed_ms "
        f"RETURNING {ENTRY_COLUMNS}",
        new_id(),
        work_id,
        grid_size,
        user_id,
        user_id,
        elapsed_ms,
        run_id,
        now,
    )
    if not rows:
        return []
    entry = _entry(rows[0], await _rank_of(rows[0]["entry_id"]))
    event_id = new_id()
    await PuzzleLeaderboardEvent.insert(
        PuzzleLeaderboardEvent(
            event_id=event_id,
            profile_id=work_id,
            grid_size=grid_size,
            user_id=user_id,
            nickname=entry.nickname,
            best_elapsed_ms=entry.best_elapsed_ms,
            rank=entry.rank,
            run_id=run_id,
            occurred_at=now,
        )
    )
    return await streams.append(
        [leaderboard_stream(work_id, grid_size)],
        kind=LEADERBOARD_IMPROVED,
        event_id=event_id,
        occurred_at=now,
    )


def _ranked(rows: list[dict[str, Any]], first_rank: int) -> list[LeaderboardEntry]:
    """Ranks along a page ordered best first: equal (time, updated_at) share a rank."""
    entries: list[LeaderboardEntry] = []
    for position, row in enumerate(rows):
        rank = first_rank + position
        if entries:
            previous = entries[-1]
            if previous.best_elapsed_ms == int(row["best_elapsed_ms"]) and (
                previous.updated_at == utc_time(row["updated_at"])
            ):
                rank = previous.rank
        entries.append(_entry(row, rank))
    return entries


async def leaderboard(
    *,
    viewer: Principal,
    work_id: str,
    grid_size: int,
    first: int | None = None,
    after: str | None = None,
) -> Leaderboard:
    """A page of the board of a published work (or the viewer's own) and grid size, best
    first; NOT_FOUND for any other work. Anyone may read it."""
    size = page_size(first)
    await board_stream(viewer=viewer, work_id=work_id, grid_size=grid_size)
    board = (Entry.profile_id == work_id) & (Entry.grid_size == grid_size)
    if after is not None:
        best, updated_at, entry_id = decode_cursor(after, size=3)
        if not isinstance(best, int) or not isinstance(entry_id, str):
            raise BadUserInput("Invalid cursor.")
        try:
            moment = _moment(updated_at)
        except ValueError as error:
            raise BadUserInput("Invalid cursor.") from error
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
        .limit(size + 1)
    )
    first_rank = 1
    if after is not None and rows:
        first_rank = await _rank_of(rows[0]["entry_id"])
    page = build_page(
        _ranked(list(rows), first_rank),
        size,
        lambda entry: [entry.best_elapsed_ms, entry.updated_at.isoformat(), entry.entry_id],
    )
    return Leaderboard(
        work_id=work_id,
        grid_size=grid_size,
        page=page,
        viewer_entry=await _viewer_entry(viewer, work_id, grid_size),
    )


async def _viewer_entry(viewer: Principal, work_id: str, grid_size: int) -> LeaderboardEntry | None:
    if viewer.user_id is None:
        return None
    # Raw: the rank is a correlated COUNT subquery, which the builder cannot write.
    rows = await PuzzleLeaderboardEntry.raw(
        f"SELECT {ENTRY_COLUMNS}, 1 + ({_BETTER}) AS rank FROM puzzle_leaderboard_entry e "
        "WHERE e.user_id = {} AND e.profile_id = {} AND e.grid_size = {}",
        viewer.user_id,
        work_id,
        grid_size,
    )
    return _entry(rows[0], int(rows[0]["rank"])) if rows else None


async def events_by_ids(event_ids: list[str]) -> dict[str, PuzzleLeaderboardEventRow]:
    """Leaderboard events by id, one statement (subscribers load a batch at once)."""
    if not event_ids:
        return {}
    rows = await PuzzleLeaderboardEvent.select().where(
        PuzzleLeaderboardEvent.event_id.is_in(event_ids)
    )
    return {row["event_id"]: PuzzleLeaderboardEventRow.from_row(row) for row in rows}
