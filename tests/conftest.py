"""The test harness: one engine per run, migrations once, tables emptied before each test.

`pytest --engine sqlite|postgres` picks the engine (bin/test runs both). The environment is
set in `pytest_configure`, before any project module is imported, because Piccolo binds
tables to the engine of `piccolo_conf` at import.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import secrets
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import pytest

pytest_plugins = ["tests.fixtures", "tests.redis_server"]

_state: dict[str, Any] = {}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--engine",
        choices=("sqlite", "postgres"),
        default=os.environ.get("TEST_ENGINE", "sqlite"),
        help="database engine for this run",
    )


def pytest_configure(config: pytest.Config) -> None:
    engine = config.getoption("--engine")
    os.environ.update(
        {
            "ENVIRONMENT": "test",
            "JWT_SECRET": "test-secret-" + "x" * 40,
            "ARGON2_TIME_COST": "1",
            "ARGON2_MEMORY_COST_KIB": "8",
            "ARGON2_PARALLELISM": "1",
            "BROADCAST_URL": "memory://",
            # Runs expire by touch in tests; the sweeps are called by the tests themselves
            # (a background sweep would change tables while a test compares them).
            "RUN_SWEEPER_ENABLED": "false",
        }
    )
    if engine == "sqlite":
        directory = tempfile.mkdtemp(prefix="genarrative-test-")
        _state["sqlite_dir"] = directory
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(directory) / 'test.sqlite'}"
    else:
        admin_url = os.environ.get(
            "TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
        )
        name = f"genarrative_test_{os.getpid()}_{secrets.token_hex(3)}"
        asyncio.run(_postgres_admin(admin_url, f'CREATE DATABASE "{name}"'))
        _state["postgres"] = (admin_url, name)
        os.environ["DATABASE_URL"] = urlunparse(urlparse(admin_url)._replace(path=f"/{name}"))
    _state["engine"] = engine
    from piccolo.apps.migrations.commands.forwards import run_forwards

    with contextlib.redirect_stdout(io.StringIO()) as output:
        result = asyncio.run(run_forwards(app_name="all", fake=False))
    assert result.success, f"{result.message}\n{output.getvalue()}"


def pytest_unconfigure(config: pytest.Config) -> None:
    if "sqlite_dir" in _state:
        shutil.rmtree(_state["sqlite_dir"], ignore_errors=True)
    if "postgres" in _state:
        admin_url, name = _state["postgres"]
        asyncio.run(_postgres_admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _postgres_admin(url: str, statement: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def engine_name() -> str:
    return str(_state["engine"])


@pytest.fixture(scope="session", autouse=True)
async def database_pool() -> AsyncIterator[None]:
    from db.engine import close_pool, start_pool
    from db.tables.auth import UserAccount

    engine = UserAccount._meta.db
    await start_pool(engine, max_size=20)
    yield
    await close_pool(engine)


@pytest.fixture(autouse=True)
async def empty_tables(database_pool: None) -> None:
    """Every test starts from empty tables (much cheaper than migrating again)."""
    from tests.fixtures import truncate_all

    await truncate_all()


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    from settings import get_settings

    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
