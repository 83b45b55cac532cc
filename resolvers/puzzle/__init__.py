"""Puzzles (docs/domain.md): creation sessions, drafts, works, publishing, events, runs,
leaderboards.

- `model`: stages, statuses, event kinds, blocker codes, entity kinds; `errors`.
- `drafts`: the typed draft (levels with names and grid sizes 3..8), the built-in agent's
  derivation, stage and progress, the work-card projection.
- `adapter`: the creation adapter (agent turns through resolvers/creation).
- `sessions`: the form entry (empty session + draft work at once), autosave, reads.
- `gate`: the publish gate (blocker codes) over the draft and the bound images.
- `publishing`: publish, update, unpublish (gallery read model and `puzzle_event`).
- `works`: reads, visibility, and the asset entity kinds `puzzle_work`/`puzzle_level`.
- `grids`: tile permutations (dealt from a run's seed, swaps, solving swaps).
- `runs`: the run rules `PUZZLE_RUNS` (levels, swaps, solves; `puzzle_runtime_run`).
- `leaderboard`: best time per (user, work, grid size), ranks, pages, improvement events.
- `rows`: the typed rows the schema reads (session, work, events); `run_state`: a run's
  typed state.
"""
