"""What an asset object records (docs/domain.md, "Assets"): its version (a new version of an
object key bumps it), the AI task that produced it, and the profile and entity it is bound
to; and the uniqueness of `(bucket, object_key)`."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from strawberry import relay

from db.tables.assets import AssetEntityBinding, AssetEvent, AssetObject, AssetsUploadTicket
from resolvers.assets.objects import bind_object
from tests.factories import puzzle
from tests.factories.assets import png_bytes, sha256, stored_files, upload
from tests.factories.auth import TestUser, make_user
from tests.fixtures import GraphQLClient

REPLACE_TICKET = """
mutation($i: AssetUploadTicketCreateInput!) {
  assetUploadTicketCreate(input: $i) {
    errors { code field message }
    ticket { ticketId uploadUrl }
  }
}
"""
CONFIRM_VERSION = """
mutation($t: ID!) { assetObjectConfirm(ticketId: $t) {
  errors { code field message } assetObject { id version contentHash createdAt } } }
"""
OBJECT = """
query($id: ID!) { node(id: $id) { ... on AssetObject {
  version contentHash assetKind accessPolicy sourceJobId profileId entityId } } }
"""


async def _replacement_ticket(
    gql: GraphQLClient, user: TestUser, replaces: str, data: bytes
) -> dict[str, Any]:
    result = await gql.execute(
        REPLACE_TICKET,
        {
            "i": {
                "assetKind": "other_kind",
                "contentType": "image/png",
                "contentLength": len(data),
                "sha256": sha256(data),
                "replacesAssetObjectId": replaces,
            }
        },
        token=user.access_token,
    )
    payload: dict[str, Any] = result["data"]["assetUploadTicketCreate"]
    return payload


async def _upload_new_version(
    gql: GraphQLClient, user: TestUser, replaces: str, data: bytes
) -> str:
    """Ticket replacing `replaces`, PUT the bytes; returns the ticket id (not confirmed)."""
    ticket = (await _replacement_ticket(gql, user, replaces, data))["ticket"]
    put = await gql.http.put(ticket["uploadUrl"], content=data)
    assert put.status_code == 200, put.text
    return str(ticket["ticketId"])


async def _confirm(gql: GraphQLClient, user: TestUser, ticket_id: str) -> dict[str, Any]:
    result = await gql.execute(CONFIRM_VERSION, {"t": ticket_id}, token=user.access_token)
    payload: dict[str, Any] = result["data"]["assetObjectConfirm"]
    return payload


async def test_confirming_a_new_version_of_an_object_key_bumps_its_version(
    gql: GraphQLClient, storage_root: Path
) -> None:
    # given a confirmed public cover (version 1)
    user = await make_user()
    first = await upload(gql, user.access_token, png_bytes(1), access_policy="PUBLIC_READ")
    object_id = relay.GlobalID.from_id(first["id"]).node_id
    (before,) = await AssetObject.select()
    assert before["version"] == 1
    # when new bytes are uploaded for it twice and confirmed
    for version, seed in ((2, 2), (3, 3)):
        ticket_id = await _upload_new_version(gql, user, object_id, png_bytes(seed))
        confirmed = await _confirm(gql, user, ticket_id)
        assert confirmed["errors"] == []
        shown = confirmed["assetObject"]
        assert (shown["id"], shown["version"], shown["contentHash"]) == (
            first["id"],
            version,
            sha256(png_bytes(seed)),
        )
        assert datetime.fromisoformat(shown["createdAt"]) == before["created_at"]
    # then it is one object at version 3, same key, kind and policy, with the last bytes
    (after,) = await AssetObject.select()
    assert (
        after["asset_object_id"],
        after["object_key"],
        after["version"],
        after["content_hash"],
        after["asset_kind"],
        after["access_policy"],
    ) == (object_id, before["object_key"], 3, sha256(png_bytes(3)), "cover", "public_read")
    read = await gql.http.get(
        (await gql.execute(OBJECT.replace("version", "version readUrl"), {"id": first["id"]}))[
            "data"
        ]["node"]["readUrl"]
    )
    assert read.content == png_bytes(3)
    # and each confirmation wrote a CONFIRMED event; only the object's key holds bytes
    events = await AssetEvent.select(AssetEvent.event_kind, AssetEvent.asset_object_id)
    assert events == [{"event_kind": "confirmed", "asset_object_id": object_id}] * 3
    assert stored_files(storage_root) == [f"{before['bucket']}/{before['object_key']}"]


async def test_concurrent_new_versions_of_one_object_each_bump_the_version_once(
    gql: GraphQLClient,
) -> None:
    # given an object and two uploaded new versions of it
    user = await make_user()
    first = await upload(gql, user.access_token, png_bytes(1))
    object_id = relay.GlobalID.from_id(first["id"]).node_id
    tickets = [await _upload_new_version(gql, user, object_id, png_bytes(s)) for s in (2, 3)]
    # when both are confirmed at once
    results = await asyncio.gather(*(_confirm(gql, user, t) for t in tickets))
    # then both succeed and the version counts both
    assert [r["errors"] for r in results] == [[], []]
    (after,) = await AssetObject.select(AssetObject.version)
    assert after == {"version": 3}


async def test_a_new_version_of_another_users_object_is_refused_and_writes_nothing(
    gql: GraphQLClient,
) -> None:
    # given Alice's object
    alice = await make_user()
    bob = await make_user()
    first = await upload(gql, alice.access_token, png_bytes(1))
    object_id = relay.GlobalID.from_id(first["id"]).node_id
    # when Bob asks for a ticket replacing it
    refused = await _replacement_ticket(gql, bob, object_id, png_bytes(2))
    # then it is refused, no ticket is written and the object is unchanged
    assert refused["ticket"] is None
    assert [(e["code"], e["field"]) for e in refused["errors"]] == [
        ("OBJECT_NOT_FOUND", "replacesAssetObjectId")
    ]
    assert await AssetsUploadTicket.count() == 1
    assert await AssetObject.select(AssetObject.version) == [{"version": 1}]


async def test_the_bucket_and_object_key_pair_is_unique(gql: GraphQLClient) -> None:
    # given a confirmed object
    user = await make_user()
    await upload(gql, user.access_token, png_bytes(1))
    (existing,) = await AssetObject.select()
    # when a second row with the same bucket and key is inserted directly
    duplicate = AssetObject(
        asset_object_id="duplicate",
        bucket=existing["bucket"],
        object_key=existing["object_key"],
        access_policy="private",
        asset_kind="cover",
    )
    # then the database refuses it and only the first row exists
    with pytest.raises(Exception, match=r"(?i)unique"):
        await duplicate.save()
    assert await AssetObject.select(AssetObject.asset_object_id) == [
        {"asset_object_id": existing["asset_object_id"]}
    ]


async def test_an_uploaded_object_has_no_source_job_profile_or_entity_until_bound(
    gql: GraphQLClient,
) -> None:
    # given a confirmed upload
    user = await make_user()
    first = await upload(gql, user.access_token, png_bytes(1))
    # then it names no job, profile nor entity, as the graph shows
    node = (await gql.execute(OBJECT, {"id": first["id"]}, token=user.access_token))["data"]
    assert node["node"] == {
        "version": 1,
        "contentHash": sha256(png_bytes(1)),
        "assetKind": "cover",
        "accessPolicy": "PRIVATE",
        "sourceJobId": None,
        "profileId": None,
        "entityId": None,
    }


async def test_binding_records_the_entity_and_its_work_profile_on_object_binding_and_event(
    gql: GraphQLClient,
) -> None:
    # given a user's object and their puzzle work with a level
    user = await make_user()
    first = await upload(gql, user.access_token, png_bytes(1))
    object_id = relay.GlobalID.from_id(first["id"]).node_id
    started = await puzzle.start(gql, user.access_token)
    saved = await puzzle.autosave(
        gql,
        user.access_token,
        started["session"]["sessionId"],
        draft={"title": "Maples", "levels": puzzle.levels(4)},
    )
    work_id = saved["work"]["workId"]
    level_id = saved["work"]["levels"][0]["levelId"]
    cases = [
        ("user", user.user_id, "avatar", None),
        ("puzzle_work", work_id, "cover", work_id),
        ("puzzle_level", f"{work_id}.{level_id}", "image", work_id),
    ]
    for entity_kind, entity_id, slot, profile_id in cases:
        # when it is bound to the entity's slot
        binding = await bind_object(
            viewer=user.principal,
            asset_object_id=object_id,
            entity_kind=entity_kind,
            entity_id=entity_id,
            slot=slot,
        )
        # then the binding, the object and the BOUND event record the entity and profile
        assert binding.profile_id == profile_id
        (asset,) = await AssetObject.select(AssetObject.profile_id, AssetObject.entity_id)
        assert asset == {"profile_id": profile_id, "entity_id": entity_id}
        event = (
            await AssetEvent.select(AssetEvent.profile_id, AssetEvent.entity_id)
            .where(AssetEvent.event_kind == "bound")
            .order_by(AssetEvent.occurred_at, ascending=False)
            .order_by(AssetEvent.event_id, ascending=False)
            .first()
        )
        assert event == {"profile_id": profile_id, "entity_id": entity_id}
    rows = await AssetEntityBinding.select(
        AssetEntityBinding.entity_kind, AssetEntityBinding.profile_id
    ).order_by(AssetEntityBinding.entity_kind)
    assert rows == [
        {"entity_kind": "puzzle_level", "profile_id": work_id},
        {"entity_kind": "puzzle_work", "profile_id": work_id},
        {"entity_kind": "user", "profile_id": None},
    ]
