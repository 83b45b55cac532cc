"""Operators, populated platforms and exports for the data-migration tests."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import orjson
from asgi_lifespan import LifespanManager
from httpx_ws.transport import ASGIWebSocketTransport

from db.tables.migration import DatabaseMigrationImportChunk
from resolvers.migration.export import export_lines
from resolvers.migration.importing import LineSource
from resolvers.migration.operators import add_operator
from resolvers.migration.tables import project_tables
from resolvers.play_types.registry import PLUGINS
from tests.factories.ai_tasks import append_words, make_streaming_task
from tests.factories.auth import TestUser, make_user
from tests.factories.economy import make_admin, make_redeem_code
from tests.factories.play_types import ready_work
from tests.fixtures import GraphQLClient, held_in_own_task

PUT = """mutation($u: String!, $i: Int!, $n: Int!, $c: String!) {
  migrationImportChunkPut(uploadId: $u, index: $i, count: $n, chunk: $c) {
    uploadId received errors { code field }
  }
}"""
COMMIT = """mutation($u: String!, $m: ImportMode!) {
  migrationImportCommit(uploadId: $u, mode: $m) { tables rows errors { code field } }
}"""
REDEEM = """mutation($c: String!) { redeemCodeUse(code: $c) { errors { code } } }"""
LIKE = """mutation($t: PlayType!, $w: ID!) { workLike(playType: $t, workId: $w) {
  errors { code } } }"""


@asynccontextmanager
async def serving() -> AsyncIterator[GraphQLClient]:
    """The app, served only inside the block: on SQLite a server holds the serving lock,
    so imports run after the block (the `gql` fixture serves for the whole test)."""
    from app import create_app

    application = create_app()
    async with held_in_own_task(lambda: LifespanManager(application)):
        transport = ASGIWebSocketTransport(app=application)
        async with held_in_own_task(
            lambda: httpx.AsyncClient(transport=transport, base_url="http://testserver")
        ) as http:
            yield GraphQLClient(http)


async def make_operator(username: str | None = None) -> TestUser:
    user = await make_user(username)
    await add_operator(username=user.username, created_by="test")
    return user


async def export_bytes() -> bytes:
    return b"".join([line async for line in export_lines()])


def source_of(data: bytes) -> LineSource:
    async def lines() -> Any:
        for line in data.splitlines(keepends=True):
            yield line

    return lines


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


async def row_counts() -> dict[str, int]:
    """Rows of every table of the project (for "nothing changed")."""
    counts: dict[str, int] = {}
    for table in project_tables():
        name = table._meta.tablename
        rows = await DatabaseMigrationImportChunk.raw(f'SELECT COUNT(*) AS n FROM "{name}"')
        counts[name] = int(rows[0]["n"])
    return counts


def with_row_changed(data: bytes, table: str, column: str, value: Any) -> bytes:
    """The export with the first row of `table` holding `value` in `column` (its checksum
    no longer matches the manifest)."""
    lines = data.splitlines(keepends=True)
    for index, line in enumerate(lines):
        record = orjson.loads(line)
        if record.get("table") == table:
            record["row"][column] = value
            lines[index] = orjson.dumps(record, option=orjson.OPT_SORT_KEYS) + b"\n"
            break
    return b"".join(lines)


def with_manifest_fixed(data: bytes) -> bytes:
    """Recompute the manifest's counts and checksums (a well-formed export of other rows)."""
    lines = data.splitlines(keepends=True)
    manifest = orjson.loads(lines[-1])
    digests: dict[str, Any] = {name: hashlib.sha256() for name in manifest["tables"]}
    counts = dict.fromkeys(manifest["tables"], 0)
    for line in lines[1:-1]:
        name = orjson.loads(line)["table"]
        digests[name].update(line)
        counts[name] += 1
    manifest["tables"] = {
        name: {"rows": counts[name], "sha256": digests[name].hexdigest()} for name in counts
    }
    lines[-1] = orjson.dumps(manifest, option=orjson.OPT_SORT_KEYS) + b"\n"
    return b"".join(lines)


async def populate(gql: GraphQLClient) -> list[TestUser]:
    """Users, and a published work of every play type with images bound through the graph,
    liked by another user, a redeemed code, a streaming AI task: rows in auth, profile,
    economy, analytics, assets, AI tasks, creation, every play type and the gallery."""
    owner = await make_user()
    fan = await make_user()
    admin = await make_admin()
    await make_redeem_code(admin, code="welcome", max_uses=5)
    redeemed = await gql.execute(REDEEM, {"c": "welcome"}, token=fan.access_token)
    assert redeemed["data"]["redeemCodeUse"]["errors"] == [], redeemed
    task = await make_streaming_task(fan)
    await append_words(task.task_id, ["once", "upon", "a", "time"])
    for plugin in PLUGINS:
        started = await ready_work(plugin, gql, owner)
        await plugin.publish(viewer=owner.principal, work_id=started.work_id)
        liked = await gql.execute(
            LIKE, {"t": plugin.play_type.name, "w": started.work_id}, token=fan.access_token
        )
        assert liked["data"]["workLike"]["errors"] == [], liked
    return [owner, fan, admin]
