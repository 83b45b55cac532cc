"""Match3D (docs/match3d.md): creation sessions, drafts, works, publishing, runs.

- `model`: stages, blocker codes, limits, entity kind and slots; `errors`.
- `drafts`: the typed draft (item set, layers, difficulty, clear count, time limit), the
  built-in agent's derivation, stage and progress, the work-card projection.
- `adapter`: the creation adapter (agent turns through resolvers/creation) and the
  session writes every Match3D writer shares.
- `sessions`: the form entry (session + draft work at once), autosave, reads.
- `gate`: the publish gate over the draft and the bound images (cover, `item:<itemId>`).
- `publishing`: publish, update, unpublish (the gallery's read model).
- `works`: reads, visibility, and the asset entity kind `match3d_work`.
- `board`: piles, covering, picks, the tray (pure), and the search that proves a deal
  winnable.
- `rows`: the typed rows the schema reads (session, work, the item set); `run_state`: a
  run's typed state (`MATCH3D_RUNS.states()`).
- `runs`: the run rules `MATCH3D_RUNS` (`match3d_runtime_run`).
"""
