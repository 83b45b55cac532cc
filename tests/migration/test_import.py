"""Import rules, called through the resolvers and the command: checks, one transaction,
nothing changed on refusal, the read model rebuilt, a resync after commit."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import orjson
import pytest

import manage
from db.serving import serving_lock
from db.tables.auth import UserAccount
from db.tables.gallery import GalleryPublicWork
from resolvers.migration.errors import MigrationError, MigrationErrorCode
from resolvers.migration.importing import ImportMode, run_import
from subscriptions.bus import Hub
from subscriptions.channels import MIGRATION_RESYNC
from tests.factories.migration import (
    export_bytes,
    make_operator,
    populate,
    row_counts,
    serving,
    source_of,
    with_manifest_fixed,
    with_row_changed,
    write,
)
from tests.fixtures import truncate_all


async def feed_rows() -> list[dict[str, Any]]:
    rows = await GalleryPublicWork.select().order_by(GalleryPublicWork.entry_id)
    return [{**row, "tags_json": orjson.loads(row["tags_json"])} for row in rows]


async def refused(data: bytes, mode: ImportMode = ImportMode.EMPTY) -> MigrationErrorCode:
    with pytest.raises(MigrationError) as caught:
        await run_import(source_of(data), mode=mode)
    return MigrationErrorCode(caught.value.code)


async def test_export_import_export_is_byte_identical(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given a platform populated through the graph, exported by the command
    async with serving() as gql:
        await populate(gql)
    await make_operator()
    feed = await feed_rows()
    await manage.export_data(str(tmp_path / "first.ndjson"))
    # when everything is gone and the command imports the file into the empty tables
    await truncate_all()
    await manage.import_data(str(tmp_path / "first.ndjson"), "EMPTY")
    # then exporting again gives the same bytes, and the feed was rebuilt as it was
    await manage.export_data(str(tmp_path / "second.ndjson"))
    assert (tmp_path / "second.ndjson").read_bytes() == (tmp_path / "first.ndjson").read_bytes()
    assert await feed_rows() == feed
    assert len(feed) == 6
    assert "imported " in capsys.readouterr().out


async def test_upsert_over_the_same_platform_changes_nothing() -> None:
    # given a populated platform and its export
    async with serving() as gql:
        await populate(gql)
    data = await export_bytes()
    counts = await row_counts()
    # when it is imported over itself with UPSERT
    summary = await run_import(source_of(data), mode=ImportMode.UPSERT)
    # then every row was written again and nothing changed
    assert summary.rows == sum(1 for line in data.splitlines() if line.startswith(b'{"row"'))
    assert await export_bytes() == data
    assert await row_counts() == counts


async def test_empty_mode_refuses_a_platform_with_rows() -> None:
    # given a platform with a user
    await make_operator()
    data = await export_bytes()
    counts = await row_counts()
    # when EMPTY mode imports into it, then TARGET_NOT_EMPTY and nothing changed
    assert await refused(data) is MigrationErrorCode.TARGET_NOT_EMPTY
    assert await row_counts() == counts


async def test_a_bad_checksum_changes_nothing() -> None:
    # given an export whose user row was edited after the manifest was written
    await make_operator()
    data = with_row_changed(await export_bytes(), "user_account", "display_name", "mallory")
    await truncate_all()
    # when it is imported, then CHECKSUM_MISMATCH and not a row was written
    assert await refused(data) is MigrationErrorCode.CHECKSUM_MISMATCH
    assert set((await row_counts()).values()) == {0}


async def test_another_schema_version_is_refused() -> None:
    # given an export whose manifest names another set of migrations
    await make_operator()
    lines = (await export_bytes()).splitlines(keepends=True)
    manifest = orjson.loads(lines[-1])
    manifest["migrations"] = [*manifest["migrations"], "future:2099-01-01T00:00:00:000000"]
    lines[-1] = orjson.dumps(manifest, option=orjson.OPT_SORT_KEYS) + b"\n"
    await truncate_all()
    # then MIGRATION_VERSION_MISMATCH, nothing written
    assert await refused(b"".join(lines)) is MigrationErrorCode.MIGRATION_VERSION_MISMATCH
    assert set((await row_counts()).values()) == {0}


async def test_malformed_exports_are_refused() -> None:
    # given an export, and versions of it broken in several ways
    await make_operator()
    data = await export_bytes()
    lines = data.splitlines(keepends=True)
    unknown = lines[1].replace(b'"table":"', b'"table":"no_such_')
    await truncate_all()
    # then each is refused with its code, nothing written
    assert await refused(b"") is MigrationErrorCode.FORMAT_INVALID
    assert await refused(b"not json\n") is MigrationErrorCode.FORMAT_INVALID
    assert await refused(b"".join(lines[:-1])) is MigrationErrorCode.FORMAT_INVALID
    assert await refused(b"".join([lines[0], unknown, *lines[1:]])) is (
        MigrationErrorCode.UNKNOWN_TABLE
    )
    not_a_name = lines[1].replace(b'"table":"', b'"table":["').replace(b'"}\n', b'"]}\n')
    assert await refused(b"".join([lines[0], not_a_name, *lines[1:]])) is (
        MigrationErrorCode.UNKNOWN_TABLE
    )
    wrong_type = with_manifest_fixed(with_row_changed(data, "user_account", "token_version", "x"))
    assert await refused(wrong_type) is MigrationErrorCode.FORMAT_INVALID
    assert set((await row_counts()).values()) == {0}


async def test_a_row_breaking_a_constraint_rolls_everything_back() -> None:
    # given an export with two users of the same username (a unique index), manifest fixed
    await make_operator("first")
    await make_operator("second")
    data = with_manifest_fixed(
        with_row_changed(await export_bytes(), "user_account", "username", "second")
    )
    await truncate_all()
    # when it is imported, then ROW_REJECTED and no table holds a row (earlier tables too)
    assert await refused(data) is MigrationErrorCode.ROW_REJECTED
    assert set((await row_counts()).values()) == {0}


async def test_on_sqlite_a_serving_process_blocks_imports(engine_name: str) -> None:
    if engine_name != "sqlite":
        pytest.skip("the serving lock is SQLite's")
    # given an export and a server holding the serving lock
    await make_operator()
    data = await export_bytes()
    counts = await row_counts()
    with serving_lock(UserAccount._meta.db):
        # then an import is refused, nothing changed
        assert await refused(data, ImportMode.UPSERT) is MigrationErrorCode.SERVER_RUNNING
    assert await row_counts() == counts
    # and once it stopped, the import runs
    summary = await run_import(source_of(data), mode=ImportMode.UPSERT)
    assert summary.rows == data.count(b'{"row"')


async def test_on_sqlite_a_server_does_not_start_during_an_import(engine_name: str) -> None:
    if engine_name != "sqlite":
        pytest.skip("the serving lock is SQLite's")
    from app import create_app
    from db.serving import exclusive_import_lock
    from settings import ConfigurationError

    # given an import holding the database
    with exclusive_import_lock(UserAccount._meta.db):
        # when a server starts, then its start-up fails with one line
        application = create_app()
        with pytest.raises(ConfigurationError, match="an import holds"):
            async with application.router.lifespan_context(application):
                pass


async def test_a_resync_goes_out_after_the_commit(hub: Hub) -> None:
    # given an export and a subscriber of the resync channel
    await make_operator()
    data = await export_bytes()
    await truncate_all()
    async with hub.subscribe(MIGRATION_RESYNC) as subscription:
        # when the import commits
        summary = await run_import(source_of(data), mode=ImportMode.EMPTY)
        # then the resync arrives with the rows written
        message = await asyncio.wait_for(subscription.get(), timeout=5)
    assert message == {"resync": True, "rows": summary.rows}
    assert summary.rows == data.count(b'{"row"')


async def test_concurrent_imports_of_one_file_apply_it_once(tmp_path: Path) -> None:
    # given an export of a platform, then an empty platform
    await make_operator()
    data = await export_bytes()
    path = write(tmp_path / "export.ndjson", data)
    await truncate_all()
    # when two EMPTY imports run at once
    results = await asyncio.gather(
        *(run_import(source_of(path.read_bytes()), mode=ImportMode.EMPTY) for _ in range(2)),
        return_exceptions=True,
    )
    # then one applied it, the other was refused (SQLite: the import lock; PostgreSQL: the
    # first's rows), and the platform is the export
    errors = [r for r in results if isinstance(r, MigrationError)]
    assert len(errors) == 1, results
    assert errors[0].code in (
        MigrationErrorCode.SERVER_RUNNING,
        MigrationErrorCode.ROW_REJECTED,
        MigrationErrorCode.TARGET_NOT_EMPTY,
    )
    assert await export_bytes() == data
