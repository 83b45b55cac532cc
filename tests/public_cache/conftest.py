"""Fixtures of the public-response cache and persisted-operations tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from tests.fixtures import held_in_own_task


@pytest.fixture
async def http_for(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Any]:
    """`await http_for(SETTING="value", …)`: a client of an app made with those settings
    (environment variables), its lifespan running; the app is `client.app_under_test`."""
    opened: list[Any] = []

    async def open_client(**settings: str) -> httpx.AsyncClient:
        from app import create_app
        from settings import get_settings

        for name, value in settings.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        application = create_app()
        manager = held_in_own_task(lambda: LifespanManager(application))
        await manager.__aenter__()
        opened.append(manager)
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=application), base_url="http://testserver"
        )
        client.app_under_test = application  # type: ignore[attr-defined]
        opened.append(client)
        return client

    yield open_client
    for each in reversed(opened):
        await each.__aexit__(None, None, None)
