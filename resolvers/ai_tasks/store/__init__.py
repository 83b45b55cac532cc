"""Every statement of the AI tasks, split by entity: `tasks` (the task rows), `stages`,
`chunks` (text chunks, and the batched chunk appends), `events`, `results`, `leases` (the
generation queue) and `image_quota`. Callers keep their transactions around these."""
