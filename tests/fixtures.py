"""Shared fixtures: the ASGI app and clients, a bus, a clock, and an SQL statement counter."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

import httpx
import pytest
from asgi_lifespan import LifespanManager
from httpx_ws.transport import ASGIWebSocketTransport

T = TypeVar("T")


async def truncate_all() -> None:
    from piccolo.engine.postgres import PostgresEngine

    from db.apps import all_tables
    from db.tables.auth import UserAccount

    engine = UserAccount._meta.db
    names = [table._meta.tablename for table in all_tables()]
    if isinstance(engine, PostgresEngine):
        await UserAccount.raw(f"TRUNCATE {', '.join(names)}")
    else:
        # One transaction: one commit (and fsync) instead of one per table.
        async with engine.transaction():
            for name in names:
                await UserAccount.raw(f"DELETE FROM {name}")


@contextlib.asynccontextmanager
async def held_in_own_task(
    factory: Callable[[], AbstractAsyncContextManager[T]],
) -> AsyncIterator[T]:
    """Enter and exit `factory()` in one dedicated task.

    anyio task groups (httpx-ws transport, lifespan) must exit in the task that entered
    them, and pytest-asyncio may finalize a fixture in another task.
    """
    ready: asyncio.Future[T] = asyncio.get_running_loop().create_future()
    stop = asyncio.Event()

    async def hold() -> None:
        async with factory() as value:
            ready.set_result(value)
            await stop.wait()

    task = asyncio.create_task(hold())
    done, _ = await asyncio.wait({ready, task}, return_when=asyncio.FIRST_COMPLETED)
    if task in done and not ready.done():
        task.result()
    try:
        yield ready.result()
    finally:
        stop.set()
        await task


@pytest.fixture
async def app() -> AsyncIterator[Any]:
    """The real ASGI app with its lifespan (bus, revocations) running."""
    from app import create_app

    application = create_app()
    async with held_in_own_task(lambda: LifespanManager(application)):
        yield application


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """HTTP and WebSocket client against the app (use `httpx_ws.aconnect_ws` with it)."""

    def connect() -> httpx.AsyncClient:
        transport = ASGIWebSocketTransport(app=app)
        return httpx.AsyncClient(transport=transport, base_url="http://testserver")

    async with held_in_own_task(connect) as http:
        yield http


@dataclass
class GraphQLClient:
    http: httpx.AsyncClient

    async def execute(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        expect_status: int = 200,
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == expect_status, response.text
        body: dict[str, Any] = response.json()
        return body


@pytest.fixture
def gql(client: httpx.AsyncClient) -> GraphQLClient:
    return GraphQLClient(client)


@dataclass
class FakeClock:
    """`resolvers.clock.now` under the test's control."""

    current: datetime = field(default_factory=lambda: datetime.now().astimezone())

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    from datetime import UTC

    from resolvers import clock as clock_module

    fake = FakeClock(current=datetime.now(UTC))
    monkeypatch.setattr(clock_module, "now", fake.now)
    return fake


@dataclass
class StatementCounter:
    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)


_counter: ContextVar[StatementCounter | None] = ContextVar("statement_counter", default=None)


@pytest.fixture
def count_statements() -> Iterator[Any]:
    """`with count_statements() as counter:` counts the SQL statements Piccolo sends from
    this context and the tasks it starts (Strawberry's field tasks), not from background
    tasks that were already running (the generation worker, the bus)."""
    from db.tables.auth import UserAccount

    # Engines use __slots__: patch the class's method once, and restore it afterwards.
    engine_class = type(UserAccount._meta.db)
    original = engine_class.run_querystring

    async def run_querystring(self: Any, querystring: Any, *args: Any, **kwargs: Any) -> Any:
        counter = _counter.get()
        if counter is not None:
            counter.statements.append(str(querystring))
        return await original(self, querystring, *args, **kwargs)

    @contextlib.contextmanager
    def counting() -> Iterator[StatementCounter]:
        counter = StatementCounter()
        token = _counter.set(counter)
        try:
            yield counter
        finally:
            _counter.reset(token)

    engine_class.run_querystring = run_querystring
    try:
        yield counting
    finally:
        engine_class.run_querystring = original


@pytest.fixture
async def hub() -> AsyncIterator[Any]:
    """An in-memory bus installed for resolver tests that publish (no app running)."""
    from subscriptions.bus import Hub, install_hub
    from subscriptions.revocations import Revocations, install_registry

    bus = Hub("memory://")
    await bus.start()
    install_hub(bus)
    registry = Revocations(bus)
    await registry.start()
    install_registry(registry)
    yield bus
    install_registry(None)
    await registry.stop()
    install_hub(None)
    await bus.stop()
