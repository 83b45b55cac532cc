"""SQL fragments of the AI-task tables, for statements of other domains that must stay one
statement (a creation turn read with its task's status). Other domains name `ai_task`
only through these."""

from __future__ import annotations


def task_join(on: str, alias: str = "t") -> str:
    """`JOIN` of the AI task whose id is `on` (a column of the statement), as `alias`."""
    return f"JOIN ai_task {alias} ON {alias}.task_id = {on}"
