"""Comparing the fast path's answer with the executor's, byte for byte."""

from __future__ import annotations

import re
from typing import Any

import httpx


async def same_bytes(
    fast: httpx.AsyncClient,
    normal: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any],
    token: str | None,
) -> bytes:
    """The response body of the executor, after checking the fast path answers the same
    bytes (the first request plans, the second is served by the plan)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = {"query": query, "variables": variables}
    # twice on the fast app: the first run executes and plans, the second uses the plan
    await fast.post("/graphql", json=body, headers=headers)
    planned = await fast.post("/graphql", json=body, headers=headers)
    executed = await normal.post("/graphql", json=body, headers=headers)
    assert planned.status_code == executed.status_code
    # (a masked error names its own request: the one difference allowed)
    assert _same_request(planned.content) == _same_request(executed.content), (
        query,
        variables,
        planned.content,
        executed.content,
    )
    return executed.content


def _same_request(body: bytes) -> bytes:
    return re.sub(rb'"requestId":"[^"]*"', b'"requestId":"-"', body)
