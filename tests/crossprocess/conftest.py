"""Fixtures of the tests that start server processes (and the Redis they share)."""

from __future__ import annotations

import os

import pytest


@pytest.fixture
def postgres_only(engine_name: str) -> None:
    """The processes share the PostgreSQL run's database: these tests run in that run only."""
    if engine_name != "postgres":
        pytest.skip("the processes share the PostgreSQL run's database")


@pytest.fixture
async def redis_url_or_skip() -> str:
    import redis.asyncio as aioredis
    from redis.exceptions import RedisError

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    client = aioredis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        await client.execute_command("PING")
    except (RedisError, OSError):
        if os.environ.get("CI") == "true":
            pytest.fail("Redis is unreachable in CI")
        pytest.skip("Redis is unreachable")
    finally:
        await client.aclose()
    return url
