"""Puzzle runs: the puzzle's `RunRules` (resolvers/runs/rules.py), `PUZZLE_RUNS`.

The framework (resolvers/runs/lifecycle.py) owns the run's status, version and timing
(`runs_run`); the puzzle's state is its catalog row in `puzzle_runtime_run`:
- A run walks the work's levels in order: a PLAY run those of the published work
  (`levels_json`), a TEST run those of the owner's current draft (levels without a grid
  size are left out). `snapshot_json` holds the run's `seed`, the `levels` (id, name, grid
  size), the work's `tags`, the current `tiles` (resolvers/puzzle/grids.py), when the
  current level started (`levelStartedAt`) and each cleared level's time (`levelTimesMs`).
  Each level's first grid is drawn from the seed and the level's index: the same run always
  deals the same grids.
- An action is a swap `{"kind": "swap", "a": position, "b": position}`; a position outside
  the grid or a tile swapped with itself is ILLEGAL_MOVE (nothing is written). The swap
  that solves a level records its time (now − the level's start), counts it
  (`cleared_level_count`), adds the work to `played_profile_ids_json`, keeps the work's tags
  in `previous_level_tags_json`, and deals the next level (`current_level_index`,
  `current_grid_size`); after the last level the run is WON (COMPLETED). In PLAY mode each
  cleared level is offered to the leaderboard of (work, grid size)
  (resolvers/puzzle/leaderboard.py); its stream entries go back in the `Outcome` and the
  framework publishes them after commit.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from resolvers.gallery.play_types import PlayType
from resolvers.puzzle import drafts, grids, leaderboard, sessions, works
from resolvers.puzzle.drafts import PuzzleLevelDraft
from resolvers.puzzle.model import MAX_GRID_SIZE, MIN_GRID_SIZE
from resolvers.puzzle.rows import PuzzleWorkLevel
from resolvers.puzzle.run_state import PuzzleRunState
from resolvers.puzzle.store import runs as run_store
from resolvers.runs.model import Outcome, Run, RunMode, RunReason, RunStatus
from resolvers.runs.rules import PlayableWork, RunRules
from settings import get_settings

MAX_SUBTITLE_LENGTH = 200


def _levels(levels: Sequence[PuzzleWorkLevel | PuzzleLevelDraft]) -> list[dict[str, Any]]:
    """The playable levels (a grid size from 3 to 8), as the snapshot keeps them."""
    return [
        {"levelId": level.level_id, "name": level.name, "gridSize": size}
        for level in levels
        if (size := level.grid_size) is not None and MIN_GRID_SIZE <= size <= MAX_GRID_SIZE
    ]


def _elapsed_ms(started: datetime | None, now: datetime) -> int:
    if started is None:
        raise RuntimeError("a puzzle run's snapshot has no level start")
    return max(0, int((now - started).total_seconds() * 1000))


async def _state(run_id: str) -> PuzzleRunState:
    state = await run_store.run_state(run_id)
    if state is None:
        raise RuntimeError(f"run {run_id} has no puzzle state")
    return state


class PuzzleRunRules(RunRules[PuzzleRunState]):
    play_type = PlayType.PUZZLE

    def time_limit_ms(self) -> int:
        return get_settings().puzzle_run_time_limit_seconds * 1000

    async def playable_work(
        self, *, work_id: str, mode: RunMode, user_id: str
    ) -> PlayableWork | None:
        row = (await works.works_by_work_id([work_id])).get(work_id)
        if row is None:
            return None
        if mode is RunMode.PLAY:
            if not row.is_published:
                return None
            title, description = row.work_title, row.work_description
            levels, tags = _levels(row.levels_json), list(row.theme_tags_json)
        else:
            session_id = row.source_session_id
            if row.owner_user_id != user_id or session_id is None:
                return None
            session = (await sessions.sessions_by_id([session_id])).get(session_id)
            if session is None:
                return None
            draft = drafts.stored_draft(session.draft_json)
            title, description = draft.title, draft.description
            levels, tags = _levels(draft.levels), list(draft.tags)
        if not levels:
            return None
        return PlayableWork(
            work_id=work_id,
            owner_user_id=row.owner_user_id,
            title=title,
            subtitle=description[:MAX_SUBTITLE_LENGTH],
            content={"levels": levels, "tags": tags},
        )

    async def start(self, *, run: Run, work: PlayableWork, now: datetime) -> dict[str, Any]:
        levels = work.content["levels"]
        seed = secrets.randbits(48)
        first_size = levels[0]["gridSize"]
        snapshot = {
            "seed": seed,
            "levels": levels,
            "tags": work.content["tags"],
            "tiles": grids.shuffled(seed, 0, first_size),
            "levelStartedAt": now.isoformat(),
            "levelTimesMs": [],
        }
        await run_store.insert_run(
            run_id=run.run_id,
            owner_user_id=run.owner_user_id,
            work_id=work.work_id,
            grid_size=first_size,
            snapshot=snapshot,
            now=now,
        )
        return {"levelCount": len(levels), "gridSize": first_size}

    async def apply(self, *, run: Run, action: Mapping[str, Any], now: datetime) -> Outcome:
        state = await _state(run.run_id)
        read = state.snapshot
        # The stored document, rewritten with what this swap changes.
        snapshot = dict(state.snapshot_json)
        a, b = grids.checked_swap(action, len(read.tiles))
        tiles = grids.swapped(read.tiles, a, b)
        event: dict[str, Any] = {"kind": grids.SWAP, "a": a, "b": b, "solved": False}
        index, cleared = state.current_level_index, state.cleared_level_count
        played, tags = list(state.played_profile_ids_json), list(state.previous_level_tags_json)
        grid_size = state.current_grid_size
        outcome: dict[str, Any] = {}
        if grids.is_solved(tiles):
            levels = read.levels
            elapsed = _elapsed_ms(read.level_started_at, now)
            snapshot["levelTimesMs"] = [*read.level_times_ms, elapsed]
            cleared += 1
            work_id = state.current_profile_id
            if work_id not in played:
                played.append(work_id)
            tags = list(read.tags)
            event.update(solved=True, levelIndex=index, elapsedMs=elapsed)
            if run.mode is RunMode.PLAY:
                outcome["entries"] = await leaderboard.record_time(
                    work_id=work_id,
                    grid_size=grid_size,
                    user_id=run.owner_user_id,
                    run_id=run.run_id,
                    elapsed_ms=elapsed,
                    now=now,
                )
            if index + 1 < len(levels):
                index += 1
                grid_size = levels[index].grid_size
                tiles = grids.shuffled(read.seed, index, grid_size)
                snapshot["levelStartedAt"] = now.isoformat()
            else:
                outcome.update(status=RunStatus.WON, reason=RunReason.COMPLETED.value)
        snapshot["tiles"] = tiles
        await run_store.set_run_state(
            run_id=run.run_id,
            cleared_level_count=cleared,
            level_index=index,
            grid_size=grid_size,
            played_profile_ids=played,
            previous_level_tags=tags,
            snapshot=snapshot,
            now=now,
        )
        return Outcome(event=event, **outcome)

    async def states(self, run_ids: Sequence[str]) -> dict[str, PuzzleRunState]:
        return await run_store.run_states(run_ids)

    def winning_actions(self, state: PuzzleRunState) -> list[dict[str, Any]]:
        """The swaps that solve the current grid, then each later level's first grid (the
        rules are deterministic in the seed)."""
        snapshot = state.snapshot
        levels = snapshot.levels
        if state.cleared_level_count >= len(levels):
            return []
        index = state.current_level_index
        grids_left = [snapshot.tiles] + [
            grids.shuffled(snapshot.seed, later, levels[later].grid_size)
            for later in range(index + 1, len(levels))
        ]
        return [
            grids.swap_action(a, b) for tiles in grids_left for a, b in grids.solving_swaps(tiles)
        ]

    def illegal_action(self, state: PuzzleRunState) -> dict[str, Any]:
        """A tile swapped with itself."""
        return grids.swap_action(0, 0)


PUZZLE_RUNS = PuzzleRunRules()
