"""Big fish (docs/big-fish.md): creation sessions that are the works, asset slots, the
publish gate and its events, server-simulated runs.

- `model`: limits, stages, blocker codes, slot kinds, run statuses; `errors`.
- `drafts`: the typed draft (levels with sizes and speeds, growth thresholds, the
  player's fish, the win size), the built-in agent's derivation, stage and progress.
- `adapter`: the creation adapter (agent turns through resolvers/creation).
- `sessions`: the form entry, autosave, reads; `slots`: asset slots and coverage.
- `gate`: the publish gate, recorded as a `big_fish_event` at every evaluation.
- `publishing`: publish, update, unpublish (the gallery's read model).
- `simulation`: the pure world step; `runs`, `ticker`, `leases`: live runs.
- `rows`, `run_rows`: the typed rows the schema reads (the work, slots, gate events; runs
  and their frames).
"""
