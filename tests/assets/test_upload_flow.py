"""Upload → confirm → bind → read, with real bytes, through GraphQL and the ticket URLs."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from db.tables.assets import AssetEntityBinding, AssetEvent, AssetObject, AssetsUploadTicket
from db.tables.realtime import RealtimeStreamEvent
from resolvers.assets.objects import entity_stream, user_stream
from tests.factories.assets import (
    BIND,
    CONFIRM,
    png_bytes,
    request_ticket,
    sha256,
    stored_files,
    upload,
)
from tests.factories.auth import make_user
from tests.fixtures import FakeClock, GraphQLClient


async def _counts() -> tuple[int, int, int, int]:
    return (
        await AssetsUploadTicket.count(),
        await AssetObject.count(),
        await AssetEntityBinding.count(),
        await AssetEvent.count(),
    )


async def test_upload_confirm_bind_and_read_real_bytes(
    gql: GraphQLClient, storage_root: Path
) -> None:
    # given a user and a PNG
    user = await make_user()
    data = png_bytes(7)
    # when they get a ticket and PUT the bytes
    payload = await request_ticket(gql, user.access_token, data)
    assert payload["errors"] == []
    ticket = payload["ticket"]
    assert ticket["maxBytes"] == len(data)
    put = await gql.http.put(ticket["uploadUrl"], content=data)
    assert put.json() == {"ticketId": ticket["ticketId"], "size": len(data), "sha256": sha256(data)}
    # and confirm it
    confirmed = (await gql.execute(CONFIRM, {"t": ticket["ticketId"]}, token=user.access_token))[
        "data"
    ]["assetObjectConfirm"]
    assert confirmed["errors"] == []
    asset = confirmed["assetObject"]
    assert (
        asset["assetKind"],
        asset["contentType"],
        asset["contentLength"],
        asset["contentHash"],
        asset["accessPolicy"],
    ) == (
        "cover",
        "image/png",
        len(data),
        sha256(data),
        "PRIVATE",
    )
    # then the signed read URL serves the same bytes
    read = await gql.http.get(asset["readUrl"])
    assert (read.status_code, read.headers["content-type"], read.content) == (
        200,
        "image/png",
        data,
    )
    # when they bind it to their own avatar slot
    object_id = (await AssetObject.select(AssetObject.asset_object_id).first())["asset_object_id"]  # type: ignore[index]
    bound = await gql.execute(
        BIND,
        {
            "i": {
                "assetObjectId": object_id,
                "entityKind": "user",
                "entityId": user.user_id,
                "slot": "avatar",
            }
        },
        token=user.access_token,
    )
    binding = bound["data"]["assetObjectBind"]
    assert binding["errors"] == []
    assert (binding["binding"]["entityKind"], binding["binding"]["slot"]) == ("user", "avatar")
    # then two events were written, numbered in the user's and the entity's streams
    events = await AssetEvent.select(AssetEvent.event_kind).order_by(AssetEvent.occurred_at)
    assert [event["event_kind"] for event in events] == ["confirmed", "bound"]
    log = (
        await RealtimeStreamEvent.select(
            RealtimeStreamEvent.stream_key,
            RealtimeStreamEvent.sequence,
            RealtimeStreamEvent.event_kind,
        )
        .order_by(RealtimeStreamEvent.stream_key)
        .order_by(RealtimeStreamEvent.sequence)
    )
    assert sorted((row["stream_key"], row["sequence"], row["event_kind"]) for row in log) == sorted(
        [
            (user_stream(user.user_id), 1, "confirmed"),
            (user_stream(user.user_id), 2, "bound"),
            (entity_stream("user", user.user_id), 1, "bound"),
        ]
    )
    assert len(stored_files(storage_root)) == 1


async def test_rebinding_a_slot_replaces_its_object(gql: GraphQLClient) -> None:
    user = await make_user()
    first = await upload(gql, user.access_token, png_bytes(1))
    second = await upload(gql, user.access_token, png_bytes(2))
    ids = [
        row["asset_object_id"]
        for row in await AssetObject.select(AssetObject.asset_object_id).order_by(
            AssetObject.created_at
        )
    ]
    assert first["contentHash"] != second["contentHash"]
    for object_id in ids:
        await gql.execute(
            BIND,
            {
                "i": {
                    "assetObjectId": object_id,
                    "entityKind": "user",
                    "entityId": user.user_id,
                    "slot": "avatar",
                }
            },
            token=user.access_token,
        )
    bindings = await AssetEntityBinding.select(AssetEntityBinding.asset_object_id)
    assert bindings == [{"asset_object_id": ids[1]}]
    listed = await gql.execute(
        'query($id: String!) { assetBindings(entityKind: "user", entityId: $id) { slot assetObjectId } }',
        {"id": user.user_id},
        token=user.access_token,
    )
    assert listed["data"]["assetBindings"] == [{"slot": "avatar", "assetObjectId": ids[1]}]


@pytest.mark.parametrize(
    ("options", "code", "field"),
    [
        ({"content_type": "text/html"}, "CONTENT_TYPE_NOT_ALLOWED", "contentType"),
        ({"declared_length": 21 * 1024 * 1024}, "TOO_LARGE", "contentLength"),
        ({"declared_length": 0}, "SIZE_INVALID", "contentLength"),
        ({"declared_hash": "abc"}, "HASH_INVALID", "sha256"),
        ({"asset_kind": "Bad Kind"}, "ASSET_KIND_INVALID", "assetKind"),
    ],
)
async def test_bad_tickets_are_refused_without_a_row(
    gql: GraphQLClient, options: dict[str, object], code: str, field: str
) -> None:
    user = await make_user()
    payload = await request_ticket(gql, user.access_token, png_bytes(), **options)  # type: ignore[arg-type]
    assert payload["ticket"] is None
    assert [(error["code"], error["field"]) for error in payload["errors"]] == [(code, field)]
    assert await _counts() == (0, 0, 0, 0)


async def test_a_forged_or_expired_upload_url_is_refused_and_stores_nothing(
    gql: GraphQLClient, storage_root: Path, clock: FakeClock
) -> None:
    user = await make_user()
    data = png_bytes()
    ticket = (await request_ticket(gql, user.access_token, data))["ticket"]
    forged = ticket["uploadUrl"].replace("signature=", "signature=0")
    response = await gql.http.put(forged, content=data)
    assert (response.status_code, response.json()["errors"][0]["extensions"]["code"]) == (
        403,
        "SIGNATURE_INVALID",
    )
    clock.advance(minutes=15, seconds=1)
    expired = await gql.http.put(ticket["uploadUrl"], content=data)
    assert (expired.status_code, expired.json()["errors"][0]["extensions"]["code"]) == (
        403,
        "TICKET_EXPIRED",
    )
    assert stored_files(storage_root) == []
    assert await AssetsUploadTicket.count().where(AssetsUploadTicket.uploaded_at.is_not_null()) == 0


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (png_bytes(1) + b"extra", "SIZE_MISMATCH"),
        (png_bytes(1)[:-1], "SIZE_MISMATCH"),
        (png_bytes(2), "HASH_MISMATCH"),
    ],
)
async def test_uploads_that_do_not_match_the_ticket_leave_no_file(
    gql: GraphQLClient, storage_root: Path, body: bytes, code: str
) -> None:
    user = await make_user()
    ticket = (await request_ticket(gql, user.access_token, png_bytes(1)))["ticket"]
    response = await gql.http.put(ticket["uploadUrl"], content=body)
    assert (response.status_code, response.json()["errors"][0]["extensions"]["code"]) == (400, code)
    assert stored_files(storage_root) == []
    confirmed = await gql.execute(CONFIRM, {"t": ticket["ticketId"]}, token=user.access_token)
    assert confirmed["data"]["assetObjectConfirm"]["errors"][0]["code"] == "NOT_UPLOADED"
    assert await AssetObject.count() == 0


async def test_bytes_that_are_not_the_declared_format_are_refused_at_confirmation(
    gql: GraphQLClient, storage_root: Path
) -> None:
    user = await make_user()
    fake_png = b"<html>not an image</html>"
    ticket = (await request_ticket(gql, user.access_token, fake_png))["ticket"]
    assert (await gql.http.put(ticket["uploadUrl"], content=fake_png)).status_code == 200
    confirmed = (await gql.execute(CONFIRM, {"t": ticket["ticketId"]}, token=user.access_token))[
        "data"
    ]["assetObjectConfirm"]
    assert [error["code"] for error in confirmed["errors"]] == ["CONTENT_MISMATCH"]
    assert stored_files(storage_root) == []
    assert await _counts() == (0, 0, 0, 0)


async def test_a_ticket_takes_one_upload_even_when_raced(
    gql: GraphQLClient, storage_root: Path
) -> None:
    user = await make_user()
    data = png_bytes(3)
    ticket = (await request_ticket(gql, user.access_token, data))["ticket"]
    responses = await asyncio.gather(
        *[gql.http.put(ticket["uploadUrl"], content=data) for _ in range(5)]
    )
    assert sorted(response.status_code for response in responses) == [200, 409, 409, 409, 409]
    assert len(stored_files(storage_root)) == 1


async def test_confirming_twice_or_anothers_ticket_is_refused(gql: GraphQLClient) -> None:
    owner = await make_user()
    other = await make_user()
    data = png_bytes()
    ticket = (await request_ticket(gql, owner.access_token, data))["ticket"]
    await gql.http.put(ticket["uploadUrl"], content=data)
    stolen = await gql.execute(CONFIRM, {"t": ticket["ticketId"]}, token=other.access_token)
    assert stolen["data"]["assetObjectConfirm"]["errors"][0]["code"] == "TICKET_NOT_FOUND"
    first = await gql.execute(CONFIRM, {"t": ticket["ticketId"]}, token=owner.access_token)
    assert first["data"]["assetObjectConfirm"]["errors"] == []
    again = await gql.execute(CONFIRM, {"t": ticket["ticketId"]}, token=owner.access_token)
    assert again["data"]["assetObjectConfirm"]["errors"][0]["code"] == "ALREADY_CONFIRMED"
    assert await AssetObject.count() == 1


async def test_binding_another_users_object_or_entity_is_refused(gql: GraphQLClient) -> None:
    owner = await make_user()
    other = await make_user()
    await upload(gql, owner.access_token, png_bytes())
    object_id = (await AssetObject.select(AssetObject.asset_object_id).first())["asset_object_id"]  # type: ignore[index]
    cases = [
        (other, {"entityKind": "user", "entityId": other.user_id, "slot": "avatar"}, "NOT_OWNER"),
        (
            owner,
            {"entityKind": "user", "entityId": other.user_id, "slot": "avatar"},
            "ENTITY_NOT_ALLOWED",
        ),
        (
            owner,
            {"entityKind": "spaceship", "entityId": "x", "slot": "avatar"},
            "ENTITY_KIND_UNKNOWN",
        ),
        (
            owner,
            {"entityKind": "user", "entityId": owner.user_id, "slot": "Bad Slot"},
            "SLOT_INVALID",
        ),
    ]
    for who, target, code in cases:
        result = await gql.execute(
            BIND, {"i": {"assetObjectId": object_id, **target}}, token=who.access_token
        )
        assert result["data"]["assetObjectBind"]["errors"][0]["code"] == code
    assert await AssetEntityBinding.count() == 0
    assert await AssetEvent.count() == 1  # the confirmation only


async def test_private_objects_are_visible_only_to_their_owner(gql: GraphQLClient) -> None:
    owner = await make_user()
    other = await make_user()
    private = await upload(gql, owner.access_token, png_bytes(1))
    public = await upload(gql, owner.access_token, png_bytes(2), access_policy="PUBLIC_READ")
    query = "query($id: ID!) { assetObject(id: $id) { contentHash readUrl } }"
    private_id = (
        await AssetObject.select(AssetObject.asset_object_id)
        .where(AssetObject.content_hash == private["contentHash"])
        .first()
    )["asset_object_id"]  # type: ignore[index]
    public_id = (
        await AssetObject.select(AssetObject.asset_object_id)
        .where(AssetObject.content_hash == public["contentHash"])
        .first()
    )["asset_object_id"]  # type: ignore[index]
    for token in (other.access_token, None):
        refused = await gql.execute(query, {"id": private_id}, token=token)
        assert refused["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        allowed = await gql.execute(query, {"id": public_id}, token=token)
        assert allowed["data"]["assetObject"]["contentHash"] == public["contentHash"]
    mine = await gql.execute(query, {"id": private_id}, token=owner.access_token)
    assert mine["data"]["assetObject"]["contentHash"] == private["contentHash"]
    by_node = await gql.execute(
        "query($id: ID!) { node(id: $id) { id } }", {"id": private["id"]}, token=other.access_token
    )
    assert by_node["data"]["node"] is None


async def test_read_urls_expire_and_cannot_be_forged(gql: GraphQLClient, clock: FakeClock) -> None:
    user = await make_user()
    asset = await upload(gql, user.access_token, png_bytes())
    forged = await gql.http.get(asset["readUrl"].replace("signature=", "signature=f"))
    assert forged.status_code == 404
    clock.advance(minutes=15, seconds=1)
    expired = await gql.http.get(asset["readUrl"])
    assert expired.status_code == 404


async def test_asset_mutations_refuse_anonymous_callers(
    gql: GraphQLClient, client: httpx.AsyncClient
) -> None:
    for operation in (
        'mutation { assetUploadTicketCreate(input: {assetKind: "cover", contentType: "image/png", contentLength: 3, sha256: "00"}) { errors { code } } }',
        'mutation { assetObjectConfirm(ticketId: "x") { errors { code } } }',
        'mutation { assetObjectBind(input: {assetObjectId: "x", entityKind: "user", entityId: "y", slot: "a"}) { errors { code } } }',
    ):
        result = await gql.execute(operation)
        assert result["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await _counts() == (0, 0, 0, 0)
