"""What saves record (docs/domain.md, "The runtime profile"): the runtime snapshot's save
time and a save archive's cover and save time."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from db.tables.profile import ProfileSaveArchive, RuntimeSnapshot
from tests.factories.auth import TestUser, make_user
from tests.fixtures import FakeClock, GraphQLClient

SAVE = """
mutation($i: RuntimeSnapshotSaveInput!) { runtimeSnapshotSave(input: $i) {
    errors { code field } runtimeSnapshot { version savedAt } } }
"""
SNAPSHOT = "{ viewer { runtimeSnapshot { version savedAt } } }"
UPSERT = """
mutation($i: SaveArchiveUpsertInput!) { saveArchiveUpsert(input: $i) {
    errors { code field } saveArchive { worldKey coverImageSrc savedAt } } }
"""
ARCHIVES = "{ viewer { saveArchives(first: 10) { nodes { worldKey coverImageSrc savedAt } } } }"


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value)


async def _save_archive(gql: GraphQLClient, user: TestUser, cover: str) -> dict[str, Any]:
    result = await gql.execute(
        UPSERT,
        {
            "i": {
                "worldKey": "forest",
                "worldName": "Forest",
                "coverImageSrc": cover,
                "bottomTab": "play",
                "gameState": {"hp": 1},
            }
        },
        token=user.access_token,
    )
    payload: dict[str, Any] = result["data"]["saveArchiveUpsert"]
    assert payload["errors"] == []
    return payload


async def test_the_runtime_snapshot_records_the_time_of_its_last_save(
    gql: GraphQLClient, clock: FakeClock
) -> None:
    # given a user who saves a snapshot
    user = await make_user()
    first_save = clock.now()
    await gql.execute(SAVE, {"i": {"bottomTab": "play", "gameState": {}}}, token=user.access_token)
    # when they save again a minute later
    clock.advance(minutes=1)
    saved = await gql.execute(
        SAVE, {"i": {"bottomTab": "story", "gameState": {}}}, token=user.access_token
    )
    # then savedAt is the second save's time, in the payload, the viewer and the row
    snapshot = saved["data"]["runtimeSnapshotSave"]["runtimeSnapshot"]
    assert (snapshot["version"], _at(snapshot["savedAt"])) == (2, clock.now())
    shown = (await gql.execute(SNAPSHOT, token=user.access_token))["data"]["viewer"]
    assert _at(shown["runtimeSnapshot"]["savedAt"]) == clock.now()
    (row,) = await RuntimeSnapshot.select(RuntimeSnapshot.saved_at)
    assert row["saved_at"] == clock.now() != first_save


async def test_a_save_archive_records_its_cover_image_src_and_save_time(
    gql: GraphQLClient, clock: FakeClock
) -> None:
    # given a user who saves a world with a cover
    user = await make_user()
    first = await _save_archive(gql, user, "https://cdn.example/forest-1.png")
    assert first["saveArchive"]["coverImageSrc"] == "https://cdn.example/forest-1.png"
    assert _at(first["saveArchive"]["savedAt"]) == clock.now()
    # when they save the same world with another cover a minute later
    clock.advance(minutes=1)
    await _save_archive(gql, user, "https://cdn.example/forest-2.png")
    # then the slot shows the new cover and save time
    listed = (await gql.execute(ARCHIVES, token=user.access_token))["data"]["viewer"]
    nodes = listed["saveArchives"]["nodes"]
    assert [(n["worldKey"], n["coverImageSrc"], _at(n["savedAt"])) for n in nodes] == [
        ("forest", "https://cdn.example/forest-2.png", clock.now())
    ]
    rows = await ProfileSaveArchive.select(
        ProfileSaveArchive.cover_image_src, ProfileSaveArchive.saved_at
    )
    assert rows == [
        {"cover_image_src": "https://cdn.example/forest-2.png", "saved_at": clock.now()}
    ]
