"""SQL fragments of the creation tables, for statements of other domains that must stay one
statement (a world's latest operations with their turn's task). Other domains name
`creation_agent_operation` only through these."""

from __future__ import annotations


def operation_join(on: str, alias: str = "c") -> str:
    """`LEFT JOIN` of the creation turn whose operation id is `on`, as `alias`."""
    return f"LEFT JOIN creation_agent_operation {alias} ON {alias}.operation_id = {on}"
