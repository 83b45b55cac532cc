"""Across engines, in separate processes (`manage.py`): a PostgreSQL platform populated
through the graph → export → import into an empty SQLite database → export: the same
bytes; that SQLite export → an empty PostgreSQL database → export: the same bytes. And an
import killed mid-commit leaves its target unchanged. PostgreSQL run only."""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import asyncpg
import pytest

from settings import get_settings
from tests.factories.migration import make_operator, populate, serving

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def postgres_only(engine_name: str) -> None:
    """Two engines at once need PostgreSQL: these tests run in that run only."""
    if engine_name != "postgres":
        pytest.skip("needs the PostgreSQL run's server")


@pytest.fixture
async def empty_postgres(postgres_only: None) -> AsyncIterator[str]:
    """A new PostgreSQL database (URL), dropped afterwards."""
    url = get_settings().database_url
    admin = urlunparse(urlparse(url)._replace(path="/postgres"))
    name = f"genarrative_migration_{secrets.token_hex(4)}"
    connection = await asyncpg.connect(admin)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
        yield urlunparse(urlparse(url)._replace(path=f"/{name}"))
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


async def manage(database_url: str, *args: str) -> str:
    """Run `manage.py` on another database; its stdout (fails on a non-zero exit)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "manage.py",
        *args,
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == 0, err.decode()
    return out.decode()


async def row_total(database_url: str) -> int:
    connection = await asyncpg.connect(database_url)
    try:
        tables = await connection.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename <> 'migration'"
        )
        total = 0
        for table in tables:
            total += await connection.fetchval(f'SELECT COUNT(*) FROM "{table["tablename"]}"')
        return int(total)
    finally:
        await connection.close()


async def test_postgres_to_sqlite_and_back_is_byte_identical(
    empty_postgres: str, tmp_path: Path
) -> None:
    # given a PostgreSQL platform populated through the graph, exported by GET /ops/export
    async with serving() as gql:
        await populate(gql)
        operator = await make_operator()
        response = await gql.http.get(
            "/ops/export", headers={"Authorization": f"Bearer {operator.access_token}"}
        )
    assert response.status_code == 200
    exported = tmp_path / "postgres.ndjson"
    exported.write_bytes(response.content)
    # when an empty SQLite database imports it and exports again
    sqlite_url = f"sqlite:///{tmp_path / 'target.sqlite'}"
    await manage(sqlite_url, "migrate")
    assert "imported" in await manage(sqlite_url, "import", str(exported))
    await manage(sqlite_url, "export", str(tmp_path / "sqlite.ndjson"))
    # then the bytes are the same
    assert (tmp_path / "sqlite.ndjson").read_bytes() == response.content
    # when SQLite's export goes into an empty PostgreSQL database and out again
    await manage(empty_postgres, "migrate")
    await manage(empty_postgres, "import", str(tmp_path / "sqlite.ndjson"), "--mode", "EMPTY")
    await manage(empty_postgres, "export", str(tmp_path / "again.ndjson"))
    # then the bytes are the same again
    assert (tmp_path / "again.ndjson").read_bytes() == response.content
    assert response.content.count(b'"table":"user_account"') == 4
    assert response.content.count(b'"table":"ai_text_chunk"') == 4
    assert response.content.count(b'"table":"profile_redeem_code_usage"') == 1


async def test_an_import_killed_mid_commit_changes_nothing(
    empty_postgres: str, tmp_path: Path
) -> None:
    # given an export of 10,000 rows (tracking events made with SQL) and an empty database
    await make_operator()
    url = get_settings().database_url
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(
            "INSERT INTO tracking_event (event_id, event_key, scope_kind, scope_id, day_key, "
            "metadata_json, occurred_at) SELECT 'ev' || lpad(g::text, 9, '0'), 'bench', "
            "'user', 'u', 20000, '{\"n\": 1}', now() FROM generate_series(1, 10000) g"
        )
    finally:
        await connection.close()
    exported = tmp_path / "export.ndjson"
    await manage(url, "export", str(exported))
    await manage(empty_postgres, "migrate")
    before = await row_total(empty_postgres)
    # when `manage.py import` is killed (SIGKILL) after it wrote its first batches
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "manage.py",
        "import",
        str(exported),
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": empty_postgres},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    assert process.stderr is not None
    written = 0
    while written < 2:
        line = await asyncio.wait_for(process.stderr.readline(), timeout=60)
        assert line, "the import ended before it was killed"
        written += line.startswith(b"importing: tracking_event")
    process.send_signal(signal.SIGKILL)
    await process.wait()
    # then the target holds exactly what it held before (nothing committed)
    assert before == 0
    assert await row_total(empty_postgres) == 0
    # and the same import, run to the end, applies it whole
    rows = exported.read_bytes().count(b'{"row"')
    assert f"imported {rows} rows" in await manage(empty_postgres, "import", str(exported))
    assert await row_total(empty_postgres) == rows
