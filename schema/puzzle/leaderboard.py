"""Puzzle leaderboards on the graph: `puzzleLeaderboard` (a page of a board with the
viewer's own entry) and `puzzleLeaderboardChanges` (the public stream of improvements).

Both are public: anyone may read a published work's boards. A page costs at most four
statements whatever its size (resolvers/puzzle/leaderboard.py); the stream follows the
replay-then-live rules of every stream (schema/streaming.py), one statement per batch.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated

import strawberry

from resolvers.puzzle import leaderboard
from resolvers.puzzle.model import leaderboard_stream
from resolvers.puzzle.rows import PuzzleLeaderboardEventRow
from schema import cache_notes
from schema.context import Info
from schema.ids import object_id
from schema.puzzle.work import PuzzleWork
from schema.relay import Connection
from schema.streaming import check_cursor, deliver

WORK_ID = "The puzzle work's `workId`, or its global `id`."
GRID_SIZE = "The grid size of the board: pieces per side, 3 to 8 (BAD_USER_INPUT otherwise)."
AFTER_CHANGES = (
    "Deliver improvements with a sequence above this one (0: the whole history); null "
    "(default): only new ones."
)


@strawberry.type(description="One player's best time on a board, with its rank.")
class PuzzleLeaderboardEntry:
    rank: int = strawberry.field(
        description="1 + the number of better entries: a lower time, or the same time "
        "reached earlier. Entries equal in both share a rank."
    )
    nickname: str = strawberry.field(
        description="The player's display name when they set this time (up to 64 characters)."
    )
    best_elapsed_ms: int = strawberry.field(
        description="Their best time on this board, in milliseconds, from the level's start "
        "to the swap that solved it."
    )
    updated_at: datetime = strawberry.field(description="When they set this time.")

    @classmethod
    def from_entry(cls, entry: leaderboard.LeaderboardEntry) -> PuzzleLeaderboardEntry:
        return cls(
            rank=entry.rank,
            nickname=entry.nickname,
            best_elapsed_ms=entry.best_elapsed_ms,
            updated_at=entry.updated_at,
        )


@strawberry.type(
    description="The board of one puzzle work and grid size: each player's best time, best first."
)
class PuzzleLeaderboard:
    work_id: strawberry.ID = strawberry.field(description="The work's `workId`.")
    grid_size: int = strawberry.field(description="The board's grid size, 3 to 8.")
    entries: Connection[PuzzleLeaderboardEntry] = strawberry.field(
        description="Best first (time, then who reached it first); paged with the `first` "
        "and `after` of `puzzleLeaderboard`."
    )
    viewer_entry: PuzzleLeaderboardEntry | None = strawberry.field(
        description="Your own entry with its rank, even when it is not on this page; null "
        "when you are not signed in or have no time on this board."
    )


@strawberry.type(description="An improved entry of a board, numbered in the board's stream.")
class PuzzleLeaderboardChange:
    sequence: int = strawberry.field(
        description="Position in the board's stream; resume with it as `after`."
    )
    work_id: strawberry.ID = strawberry.field(description="The work's `workId`.")
    grid_size: int = strawberry.field(description="The board's grid size, 3 to 8.")
    nickname: str = strawberry.field(description="The player's display name.")
    best_elapsed_ms: int = strawberry.field(description="Their new best time, in milliseconds.")
    rank: int = strawberry.field(description="Their rank when the time was recorded.")
    occurred_at: datetime = strawberry.field(description="When the time was recorded.")

    @classmethod
    def from_row(cls, row: PuzzleLeaderboardEventRow, sequence: int) -> PuzzleLeaderboardChange:
        return cls(
            sequence=sequence,
            work_id=strawberry.ID(row.profile_id),
            grid_size=row.grid_size,
            nickname=row.nickname,
            best_elapsed_ms=row.best_elapsed_ms,
            rank=row.rank,
            occurred_at=row.occurred_at,
        )


@strawberry.type
class PuzzleLeaderboardQuery:
    @strawberry.field(
        description="The board of a puzzle work (published, or your own) for one grid size: "
        "each player's best time with rank and nickname, best first, and your own entry. "
        "Anyone may ask; NOT_FOUND for any other work."
    )
    async def puzzle_leaderboard(
        self,
        info: Info,
        work_id: Annotated[strawberry.ID, strawberry.argument(description=WORK_ID)],
        grid_size: Annotated[int, strawberry.argument(description=GRID_SIZE)],
        first: Annotated[
            int | None, strawberry.argument(description="Entries per page, 1 to 100 (20).")
        ] = None,
        after: Annotated[
            str | None, strawberry.argument(description="The `endCursor` of the previous page.")
        ] = None,
    ) -> PuzzleLeaderboard:
        board = await leaderboard.leaderboard(
            viewer=info.context.principal,
            work_id=object_id(work_id, PuzzleWork),
            grid_size=grid_size,
            first=first,
            after=after,
        )
        # The public-response cache follows this board's stream for the results it keeps.
        cache_notes.note_stream(leaderboard_stream(board.work_id, board.grid_size))
        return PuzzleLeaderboard(
            work_id=strawberry.ID(board.work_id),
            grid_size=board.grid_size,
            entries=Connection[PuzzleLeaderboardEntry].from_page(
                board.page, PuzzleLeaderboardEntry.from_entry
            ),
            viewer_entry=(
                PuzzleLeaderboardEntry.from_entry(board.viewer_entry)
                if board.viewer_entry is not None
                else None
            ),
        )


@strawberry.type
class PuzzleLeaderboardSubscription:
    @strawberry.subscription(
        description="Improvements of one board (a player's new best time, with nickname and "
        "rank) after `after`, then live ones, each `sequence` once and in order. Public, for "
        "a published work (or your own; NOT_FOUND otherwise). Closes with 4008 if you fall "
        "behind, or 4500 if the server lost the stream: resubscribe with your last sequence."
    )
    async def puzzle_leaderboard_changes(
        self,
        info: Info,
        work_id: Annotated[strawberry.ID, strawberry.argument(description=WORK_ID)],
        grid_size: Annotated[int, strawberry.argument(description=GRID_SIZE)],
        after: Annotated[int | None, strawberry.argument(description=AFTER_CHANGES)] = None,
    ) -> AsyncIterator[PuzzleLeaderboardChange]:
        stream_key = await leaderboard.board_stream(
            viewer=info.context.principal,
            work_id=object_id(work_id, PuzzleWork),
            grid_size=grid_size,
        )
        await check_cursor(stream_key, after)
        return deliver(
            info.context,
            stream_key,
            after,
            load_rows=leaderboard.events_by_ids,
            convert=PuzzleLeaderboardChange.from_row,
        )
