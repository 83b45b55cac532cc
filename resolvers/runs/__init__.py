"""Runs: the server referees play, for every play type (docs/runs.md).

- `model`: statuses, modes, reasons, limits, the `Run` row and an action's `Outcome`;
  `errors`: `RunError` + `RunErrorCode`.
- `rules`: `RunRules`, the run half of the play-type contract (what a play type plugs in).
- `lifecycle`: start, act (the version-guarded write), abandon, expire.
- `reading`, `events`, `sweeps`: lists and node reads, the per-run event stream, the
  periodic expiry sweep and the purge of old event streams.
"""
