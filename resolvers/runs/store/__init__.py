"""Every statement of the runs domain, by entity: `runs` (the `runs_run` row: insert, the
guards that move it, reads), `clock` (the server's pause, resume and finish of a row),
`listing` (the viewer's pages and the sweeps' batches), `events` (a run's events and their
stream) and `plays` (the play-count window)."""
