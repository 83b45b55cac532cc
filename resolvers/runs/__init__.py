"""Runs: the server referees play, for every play type (docs/runs.md).

- `model`: statuses, modes, reasons, limits, the `Run` row and an action's `Outcome`;
  `errors`: `RunError` + `RunErrorCode`.
- `rules`: `RunRules`, the run half of the play-type contract (what a play type plugs in).
- `registry`: which play types have runs (each plugin's `runs`).
- `lifecycle`: start, act (the version-guarded write), abandon; `refusals`: why a guarded
  write found nothing (one read); `finishing`: the end of a run (WON/LOST, abandon, expiry).
- `played`: what a PLAY run counts (plays, played works, play time); `store`: the row and
  the per-run event stream (`run:{run_id}`).
- `reading`, `sweeps`: lists and node reads, events; the periodic expiry sweep and the purge
  of old event streams.
"""
