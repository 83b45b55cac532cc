"""The square hole's statements, by entity: creation sessions and their message log
(`sessions`), work profiles (`works`), runtime runs (`runs`). Callers hold the write
transaction; nothing here opens one."""
