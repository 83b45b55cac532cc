"""The visual novel's statements, by entity: creation sessions and their message log
(`sessions`), work profiles (`works`), runtime runs (`runs`), and each run's history entries
and runtime events (`history`). Callers hold the write transaction; nothing here opens
one."""
