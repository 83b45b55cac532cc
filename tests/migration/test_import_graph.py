"""`migrationImportChunkPut` and `migrationImportCommit` through the real app."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from db.tables.migration import DatabaseMigrationImportChunk
from resolvers.migration import chunks
from resolvers.migration.errors import MigrationError, MigrationErrorCode
from resolvers.migration.importing import ImportMode
from tests.factories.auth import make_user
from tests.factories.economy import make_admin
from tests.factories.migration import COMMIT, PUT, export_bytes, make_operator, row_counts
from tests.fixtures import GraphQLClient


def pieces(data: bytes, size: int) -> list[str]:
    text = data.decode()
    return [text[i : i + size] for i in range(0, len(text), size)]


async def put(gql: GraphQLClient, token: str | None, **values: Any) -> dict[str, Any]:
    variables = {"u": "up-1", "i": 0, "n": 1, "c": "x", **values}
    return await gql.execute(PUT, variables, token=token)


async def test_only_operators_may_put_or_commit(gql: GraphQLClient) -> None:
    # given a user and an admin who are not operators
    user = await make_user()
    admin = await make_admin()
    # when each puts a chunk and commits, then anonymous is UNAUTHENTICATED, the others
    # FORBIDDEN, and no chunk was stored
    for token, code in (
        (None, "UNAUTHENTICATED"),
        (user.access_token, "FORBIDDEN"),
        (admin.access_token, "FORBIDDEN"),
    ):
        body = await put(gql, token)
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == code
        body = await gql.execute(COMMIT, {"u": "up-1", "m": "UPSERT"}, token=token)
        assert body["errors"][0]["extensions"]["code"] == code
    assert await DatabaseMigrationImportChunk.count() == 0


async def test_bad_chunks_are_refused_with_codes(gql: GraphQLClient) -> None:
    # given an operator with one chunk of a two-chunk upload, and another operator
    operator = await make_operator()
    other = await make_operator()
    stored = await put(gql, operator.access_token, n=2)
    assert stored["data"]["migrationImportChunkPut"] == {
        "uploadId": "up-1",
        "received": 1,
        "errors": [],
    }
    big = "x" * (chunks.MAX_CHUNK_BYTES + 1)
    # when chunks break the rules, then each is refused with its code and field
    cases = [
        (operator, {"u": "bad id!"}, "UPLOAD_ID_INVALID", "uploadId"),
        (operator, {"i": 2, "n": 2}, "CHUNK_INVALID", "index"),
        (operator, {"i": -1}, "CHUNK_INVALID", "index"),
        (operator, {"n": 0}, "CHUNK_INVALID", "index"),
        (operator, {"i": 1, "n": 3}, "CHUNK_COUNT_MISMATCH", "count"),
        (operator, {"u": "up-2", "c": big}, "CHUNK_TOO_LARGE", "chunk"),
        (other, {"i": 1, "n": 2}, "UPLOAD_ID_INVALID", "uploadId"),
    ]
    for who, values, code, field in cases:
        body = await put(gql, who.access_token, **values)
        assert body["data"]["migrationImportChunkPut"] == {
            "uploadId": None,
            "received": None,
            "errors": [{"code": code, "field": field}],
        }, (values, body)
    # and only the first chunk is stored
    assert await DatabaseMigrationImportChunk.count() == 1
    # when the upload is committed with a chunk missing, or an unknown upload
    missing = await gql.execute(COMMIT, {"u": "up-1", "m": "UPSERT"}, token=operator.access_token)
    unknown = await gql.execute(COMMIT, {"u": "up-9", "m": "UPSERT"}, token=operator.access_token)
    # then CHUNK_MISSING and UPLOAD_NOT_FOUND
    assert missing["data"]["migrationImportCommit"]["errors"] == [
        {"code": "CHUNK_MISSING", "field": "uploadId"}
    ]
    assert unknown["data"]["migrationImportCommit"]["errors"] == [
        {"code": "UPLOAD_NOT_FOUND", "field": "uploadId"}
    ]


async def test_an_upload_in_chunks_is_imported_then_its_chunks_deleted(
    gql: GraphQLClient, engine_name: str
) -> None:
    # given an operator and the platform's export, put in chunks (in any order)
    operator = await make_operator()
    data = await export_bytes()
    parts = pieces(data, 700)
    for index in reversed(range(len(parts))):
        body = await put(gql, operator.access_token, i=index, n=len(parts), c=parts[index])
        assert body["data"]["migrationImportChunkPut"]["errors"] == []
    counts = await row_counts()
    # when the upload is committed with UPSERT
    body = await gql.execute(COMMIT, {"u": "up-1", "m": "UPSERT"}, token=operator.access_token)
    payload = body["data"]["migrationImportCommit"]
    if engine_name == "sqlite":
        # then on SQLite the serving app refuses it (manage.py import runs with no server)
        assert payload == {
            "tables": None,
            "rows": None,
            "errors": [{"code": "SERVER_RUNNING", "field": None}],
        }
        assert await row_counts() == counts
        return
    # then on PostgreSQL every row was written, the chunks are gone, the data unchanged
    assert payload == {"tables": 78, "rows": data.count(b'{"row"'), "errors": []}
    assert await DatabaseMigrationImportChunk.count() == 0
    assert await export_bytes() == data


async def test_concurrent_chunk_puts_and_commits(engine_name: str) -> None:
    # given an operator and the export
    operator = await make_operator()
    data = await export_bytes()
    parts = pieces(data, 500)
    # when every chunk is put at once, then all are stored
    receipts = await asyncio.gather(
        *(
            chunks.put_chunk(
                viewer=operator.principal,
                upload_id="up-1",
                index=index,
                count=len(parts),
                chunk=part,
            )
            for index, part in enumerate(parts)
        )
    )
    assert max(receipt.received for receipt in receipts) == len(parts)
    # when the upload is committed twice at once (no server running)
    results = await asyncio.gather(
        *(
            chunks.commit_upload(
                viewer=operator.principal, upload_id="up-1", mode=ImportMode.UPSERT
            )
            for _ in range(2)
        ),
        return_exceptions=True,
    )
    # then one imported it, the other was refused, and the chunks are gone
    errors = [result for result in results if isinstance(result, BaseException)]
    assert len(errors) == 1, results
    assert isinstance(errors[0], MigrationError)
    expected = (
        MigrationErrorCode.SERVER_RUNNING
        if engine_name == "sqlite"
        else MigrationErrorCode.UPLOAD_NOT_FOUND
    )
    assert errors[0].code is expected
    assert await DatabaseMigrationImportChunk.count() == 0
    assert await export_bytes() == data


@pytest.mark.parametrize("mode", ["EMPTY", "UPSERT"])
async def test_a_bad_upload_changes_nothing_and_keeps_its_chunks(
    mode: str, engine_name: str
) -> None:
    # given an upload whose content is not an export
    operator = await make_operator()
    await chunks.put_chunk(
        viewer=operator.principal, upload_id="up-1", index=0, count=1, chunk="{}\n"
    )
    counts = await row_counts()
    # when it is committed, then FORMAT_INVALID, nothing changed, the chunk kept
    with pytest.raises(MigrationError) as caught:
        await chunks.commit_upload(
            viewer=operator.principal, upload_id="up-1", mode=ImportMode(mode)
        )
    assert caught.value.code is MigrationErrorCode.FORMAT_INVALID
    assert await row_counts() == counts
