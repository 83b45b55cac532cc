"""Bus backends under test: memory always; Redis and PostgreSQL from the local services.

CI (CI=true) fails instead of skipping when a service is unreachable.
"""

from __future__ import annotations

import os
import secrets

import asyncpg
import pytest
import redis.asyncio as aioredis
from redis.exceptions import RedisError


def _unreachable(what: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is unreachable in CI")
    pytest.skip(f"{what} is unreachable")


@pytest.fixture
async def redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    client = aioredis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        await client.execute_command("PING")
    except (RedisError, OSError):
        _unreachable(f"Redis at {url}")
    finally:
        await client.aclose()
    return url


@pytest.fixture
async def postgres_bus_url() -> str:
    """The test database when the run is on PostgreSQL, else the local server."""
    from settings import get_settings

    url = get_settings().database_url
    if not url.startswith("postgres"):
        url = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    try:
        connection = await asyncpg.connect(url, timeout=3)
        await connection.close()
    except (OSError, asyncpg.PostgresError):
        _unreachable(f"PostgreSQL at {url}")
    return url


@pytest.fixture
def channel() -> str:
    """A channel name no other test run uses (Redis channels are global)."""
    return f"test.{secrets.token_hex(6)}"
