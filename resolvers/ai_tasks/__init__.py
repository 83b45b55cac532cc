"""AI tasks (docs/domain.md): the life cycle, its events and streams, and the generation worker.

- `model`: the enumerations and limits; `errors`: expected failures.
- Every transition is one transaction that writes an `ai_task_event`, numbers it in the
  task's and the owner's streams and publishes it after commit: `creating` (create, request
  and queue generations), `transitions` (the state machine: start, complete, fail, cancel),
  `stage_transitions`, `chunk_appends` (with `chunk_batch`), `results`. Their parts:
  `inputs` (validation), `rows`, `refusals`, `steps`, `events`, `transactions`
  (`writing()`), `finish_listeners`.
- `reading`: owner-checked reads (tasks, stages, chunks, results, events), batched.
- `generation`: the `TextGenerator` interface and the embedded generator;
  `worker`: the background component that claims, runs, heart-beats and sweeps, through
  `leases` (claims, heartbeats, sweeps as single conditional statements).
- `store/`: every statement of the domain, by entity (tasks, stages, chunks, events,
  results, leases, image quota); the modules above call it inside their transactions.
"""
