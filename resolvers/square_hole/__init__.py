"""Square hole (docs/square-hole.md): creation sessions, typed drafts, works, publishing,
runs.

- `model`: limits, stages, blocker codes, the asset entity kind; `errors`.
- `rules`: the rule interpreter (ordered `{shape, hole, accepts, points}` rules and a
  default): one small evaluator for every work, pure.
- `drafts`: the typed draft (title, twist rule, shapes, holes, rules, target score), the
  built-in agent's derivation, stage and progress, the work-card projection.
- `adapter`: the creation adapter (agent turns through resolvers/creation).
- `sessions`: the form entry (empty session + draft work at once), autosave, reads.
- `gate`: the publish gate (blocker codes) over the draft and the bound cover.
- `publishing`: publish, update, unpublish (the gallery's read model).
- `works`: reads, visibility, and the asset entity kind `square_hole_work`.
- `rows`: the typed rows the schema reads (session, work); `run_state`: a run's typed
  state (`SQUARE_HOLE_RUNS.states()`).
- `runs`: the run rules `SQUARE_HOLE_RUNS` (seeded shapes, drops, score).
"""
