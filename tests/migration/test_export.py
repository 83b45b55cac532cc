"""`GET /ops/export`: operators only, canonical NDJSON with a manifest."""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx
import orjson
import pytest

import manage
from resolvers.migration import export as export_module
from resolvers.migration.store.catalog import applied_migrations
from resolvers.migration.tables import CARRIED
from tests.factories.auth import make_user
from tests.factories.economy import make_admin
from tests.factories.migration import export_bytes, make_operator, populate
from tests.fixtures import GraphQLClient


async def test_anonymous_users_and_admins_are_refused(client: httpx.AsyncClient) -> None:
    # given a user and an admin who are not operators
    user = await make_user()
    admin = await make_admin()
    # when each asks for the export, then only errors come back
    anonymous = await client.get("/ops/export")
    assert anonymous.status_code == 401
    assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    bad_token = await client.get("/ops/export", headers={"Authorization": "Bearer nope"})
    assert bad_token.status_code == 401
    for token in (user.access_token, admin.access_token):
        refused = await client.get("/ops/export", headers={"Authorization": f"Bearer {token}"})
        assert refused.status_code == 403
        assert refused.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_an_operator_gets_every_carried_table_with_a_manifest(
    client: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    # given a platform with works of every play type and an operator
    owner, fan, admin = await populate(gql)
    operator = await make_operator()
    # when the operator exports
    response = await client.get(
        "/ops/export", headers={"Authorization": f"Bearer {operator.access_token}"}
    )
    # then it is NDJSON: a header, rows, a manifest naming every carried table
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-ndjson"
    lines = response.content.splitlines(keepends=True)
    assert orjson.loads(lines[0]) == {
        "format": "genarrative-export",
        "kind": "header",
        "version": 1,
    }
    manifest = orjson.loads(lines[-1])
    assert manifest["kind"] == "manifest"
    assert manifest["migrations"] == await applied_migrations()
    assert set(manifest["tables"]) == CARRIED
    rows = [orjson.loads(line) for line in lines[1:-1]]
    for name, entry in manifest["tables"].items():
        mine = [line for line in lines[1:-1] if orjson.loads(line)["table"] == name]
        assert entry == {"rows": len(mine), "sha256": hashlib.sha256(b"".join(mine)).hexdigest()}
    # and rows are in primary-key order, secrets and read models absent
    users = [r["row"]["user_id"] for r in rows if r["table"] == "user_account"]
    assert users == sorted([owner.user_id, fan.user_id, admin.user_id, operator.user_id])
    assert {r["table"] for r in rows} <= CARRIED
    assert owner.refresh_token.encode() not in response.content
    assert b"gallery_public_work" not in response.content
    assert manifest["tables"]["public_work_like"]["rows"] == 6
    # and timestamps are UTC with microseconds, keys sorted
    created = next(r["row"]["created_at"] for r in rows if r["table"] == "user_account")
    assert created.endswith("+00:00") and len(created) == len("2026-01-01T00:00:00.000000+00:00")
    assert lines[1] == orjson.dumps(orjson.loads(lines[1]), option=orjson.OPT_SORT_KEYS) + b"\n"


async def test_the_command_writes_the_same_bytes(
    client: httpx.AsyncClient, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given an operator (and so a few rows)
    operator = await make_operator()
    # when the command and the route export
    await manage.export_data(str(tmp_path / "out.ndjson"))
    response = await client.get(
        "/ops/export", headers={"Authorization": f"Bearer {operator.access_token}"}
    )
    # then both are byte-identical to the resolver's lines
    assert (tmp_path / "out.ndjson").read_bytes() == response.content == await export_bytes()
    assert capsys.readouterr().out.startswith("exported ")


async def test_pages_join_without_gaps_or_repeats(monkeypatch: pytest.MonkeyPatch) -> None:
    # given users, dates and ledger rows over several pages of 2 rows
    for _ in range(5):
        await make_operator()
    whole = await export_bytes()
    # when the export reads pages of 2 rows, then it is the same bytes
    monkeypatch.setattr(export_module, "PAGE_ROWS", 2)
    assert await export_bytes() == whole
    assert whole.count(b'"table":"user_account"') == 5
