"""Plan tests: the gallery's fixtures (a fresh hot window, no generation worker), the
app's view (to see which operations its plans served) and a second app with the fast path
off, for differential tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager

from resolvers.gallery.hot import forget_rolled_day
from tests.fixtures import held_in_own_task


@pytest.fixture(autouse=True)
def fresh_hot_window() -> None:
    forget_rolled_day()


@pytest.fixture(autouse=True)
def no_generation_worker_nor_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every request reaches the fast path or the executor: no public-response cache
    answers the anonymous ones (tests/public_cache covers the cache in front of both)."""
    from settings import get_settings

    monkeypatch.setenv("GENERATION_WORKER_ENABLED", "false")
    monkeypatch.setenv("PUBLIC_CACHE_ENABLED", "false")
    get_settings.cache_clear()


def graphql_view(application: Any) -> Any:
    """The GraphQLView serving /graphql in an app made by `create_app`."""
    from schema.view import GraphQLView

    for route in application.routes:
        if isinstance(getattr(route, "endpoint", None), GraphQLView):
            return route.endpoint
    raise AssertionError("no GraphQL view")


@pytest.fixture
async def normal_client() -> AsyncIterator[httpx.AsyncClient]:
    """A client of the app with FAST_PATH_ENABLED=false: every operation executes."""
    from app import create_app
    from settings import Settings

    application = create_app(Settings(fast_path_enabled=False))
    assert graphql_view(application).fast_path is None
    async with held_in_own_task(lambda: LifespanManager(application)):
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=application), base_url="http://testserver"
        ) as http:
            yield http
