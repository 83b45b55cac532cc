"""Confirmed objects: confirmation against the stored bytes, binding to slots, reads."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from db.tables.assets import AssetEntityBinding, AssetEvent, AssetObject, AssetsUploadTicket
from db.transactions import write_transaction
from resolvers import clock, formats
from resolvers.assets import signing
from resolvers.assets.entities import policy_for
from resolvers.assets.errors import AssetError, AssetErrorCode
from resolvers.assets.storage import get_storage
from resolvers.errors import NotFound
from resolvers.ids import new_id
from resolvers.principal import Principal
from settings import get_settings
from subscriptions import streams

READ_ACTION = "read"
SLOT = re.compile(r"^[a-z][a-z0-9_.:-]{0,63}$")  # `:` for slot families (`item:<id>`)
ENTITY_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")


class AccessPolicy(StrEnum):
    PRIVATE = "private"
    PUBLIC_READ = "public_read"


class AssetEventKind(StrEnum):
    CONFIRMED = "confirmed"
    BOUND = "bound"


def user_stream(user_id: str) -> str:
    """The stream of one user's asset events."""
    return f"assets:u:{user_id}"


def entity_stream(entity_kind: str, entity_id: str) -> str:
    """The stream of one entity's asset events (hashed: channel names are short)."""
    digest = hashlib.sha256(f"{entity_kind}:{entity_id}".encode()).hexdigest()[:32]
    return f"assets:e:{digest}"


async def confirm_object(*, viewer: Principal, ticket_id: str) -> dict[str, Any]:
    """Turn an uploaded ticket into an asset object, after checking the stored bytes.

    Size, SHA-256 and format must match what the ticket declared; otherwise the bytes and
    the ticket are deleted and nothing is written.
    """
    user_id = viewer.require_user()
    ticket = (
        await AssetsUploadTicket.select()
        .where(
            (AssetsUploadTicket.ticket_id == ticket_id)
            & (AssetsUploadTicket.owner_user_id == user_id)
        )
        .first()
    )
    if ticket is None:
        raise AssetError(
            AssetErrorCode.TICKET_NOT_FOUND, "No such upload ticket.", field="ticketId"
        )
    if ticket["confirmed_at"] is not None:
        raise AssetError(
            AssetErrorCode.ALREADY_CONFIRMED, "This upload is already confirmed.", field="ticketId"
        )
    if ticket["uploaded_at"] is None:
        raise AssetError(
            AssetErrorCode.NOT_UPLOADED,
            "Upload the bytes to the ticket URL first.",
            field="ticketId",
        )
    storage = get_storage()
    digest = await storage.digest(ticket["bucket"], ticket["object_key"])
    problem: AssetError | None = None
    if digest is None or digest.size != ticket["content_length"]:
        problem = AssetError(
            AssetErrorCode.SIZE_MISMATCH, "The stored bytes are not the declared size."
        )
    elif digest.sha256 != ticket["content_hash"]:
        problem = AssetError(
            AssetErrorCode.HASH_MISMATCH, "The stored bytes do not match the declared SHA-256."
        )
    elif not formats.matches(ticket["content_type"], digest.head):
        problem = AssetError(
            AssetErrorCode.CONTENT_MISMATCH, f"The bytes are not {ticket['content_type']}."
        )
    if problem is not None:
        await storage.delete(ticket["bucket"], ticket["object_key"])
        await AssetsUploadTicket.delete().where(AssetsUploadTicket.ticket_id == ticket_id)
        raise problem
    now = clock.now()
    asset_object_id = new_id()
    async with write_transaction():
        claimed = await AssetsUploadTicket.raw(
            "UPDATE assets_upload_ticket SET confirmed_at = {}, asset_object_id = {} "
            "WHERE ticket_id = {} AND confirmed_at IS NULL RETURNING ticket_id",
            now,
            asset_object_id,
            ticket_id,
        )
        if not claimed:
            raise AssetError(
                AssetErrorCode.ALREADY_CONFIRMED,
                "This upload is already confirmed.",
                field="ticketId",
            )
        row = AssetObject(
            asset_object_id=asset_object_id,
            bucket=ticket["bucket"],
            object_key=ticket["object_key"],
            access_policy=ticket["access_policy"],
            content_type=ticket["content_type"],
            content_length=ticket["content_length"],
            content_hash=ticket["content_hash"],
            version=1,
            owner_user_id=user_id,
            asset_kind=ticket["asset_kind"],
            created_at=now,
            updated_at=now,
        )
        await row.save()
        entries = await _record_event(
            kind=AssetEventKind.CONFIRMED,
            asset=row.to_dict(),
            binding=None,
            streams_keys=[user_stream(user_id)],
            now=now,
        )
    await streams.publish(entries)
    return row.to_dict()


async def bind_object(
    *, viewer: Principal, asset_object_id: str, entity_kind: str, entity_id: str, slot: str
) -> dict[str, Any]:
    """Bind the viewer's object to `(entity_kind, entity_id, slot)`, replacing what was there."""
    user_id = viewer.require_user()
    if not SLOT.match(slot):
        raise AssetError(
            AssetErrorCode.SLOT_INVALID,
            "Slots are 1 to 64 lower-case letters, digits, _ . -",
            field="slot",
        )
    if not ENTITY_ID.match(entity_id):
        raise AssetError(
            AssetErrorCode.ENTITY_NOT_ALLOWED, "Not a valid entity id.", field="entityId"
        )
    policy = policy_for(entity_kind)
    if policy is None:
        raise AssetError(
            AssetErrorCode.ENTITY_KIND_UNKNOWN,
            f"Unknown entity kind {entity_kind!r}.",
            field="entityKind",
        )
    asset = await AssetObject.select().where(AssetObject.asset_object_id == asset_object_id).first()
    if asset is None:
        raise AssetError(
            AssetErrorCode.OBJECT_NOT_FOUND, "No such asset object.", field="assetObjectId"
        )
    if asset["owner_user_id"] != user_id:
        raise AssetError(
            AssetErrorCode.NOT_OWNER, "You can only bind your own objects.", field="assetObjectId"
        )
    if not await policy.can_bind(user_id, entity_id):
        raise AssetError(
            AssetErrorCode.ENTITY_NOT_ALLOWED, "You may not change this entity.", field="entityId"
        )
    now = clock.now()
    async with write_transaction():
        binding, entries = await bind_in_transaction(
            asset=asset, entity_kind=entity_kind, entity_id=entity_id, slot=slot, now=now
        )
    await streams.publish(entries)
    return binding


async def bind_in_transaction(
    *, asset: dict[str, Any], entity_kind: str, entity_id: str, slot: str, now: datetime
) -> tuple[dict[str, Any], list[streams.StreamEntry]]:
    """Bind `asset` (its owner's) to the slot, replacing what was there, and record the
    BOUND event, inside the caller's write transaction (checks are the caller's). The
    caller publishes the entries after commit."""
    user_id = asset["owner_user_id"]
    rows = await AssetEntityBinding.raw(
        "INSERT INTO asset_entity_binding (binding_id, asset_object_id, entity_kind, "
        "entity_id, slot, asset_kind, owner_user_id, profile_id, created_at, updated_at) "
        "VALUES ({}, {}, {}, {}, {}, {}, {}, NULL, {}, {}) "
        "ON CONFLICT (entity_kind, entity_id, slot) DO UPDATE SET "
        "asset_object_id = excluded.asset_object_id, asset_kind = excluded.asset_kind, "
        "owner_user_id = excluded.owner_user_id, updated_at = excluded.updated_at "
        "RETURNING binding_id, asset_object_id, entity_kind, entity_id, slot, asset_kind, "
        "owner_user_id, profile_id, created_at, updated_at",
        new_id(),
        asset["asset_object_id"],
        entity_kind,
        entity_id,
        slot,
        asset["asset_kind"],
        user_id,
        now,
        now,
    )
    binding = dict(rows[0])
    entries = await _record_event(
        kind=AssetEventKind.BOUND,
        asset=asset,
        binding=binding,
        streams_keys=[user_stream(user_id), entity_stream(entity_kind, entity_id)],
        now=now,
    )
    return binding, entries


async def _record_event(
    *,
    kind: AssetEventKind,
    asset: dict[str, Any],
    binding: dict[str, Any] | None,
    streams_keys: list[str],
    now: datetime,
) -> list[streams.StreamEntry]:
    event_id = new_id()
    await AssetEvent(
        event_id=event_id,
        asset_object_id=asset["asset_object_id"],
        binding_id=binding["binding_id"] if binding else None,
        event_kind=kind.value,
        asset_kind=asset["asset_kind"],
        owner_user_id=asset["owner_user_id"],
        profile_id=asset["profile_id"],
        entity_kind=binding["entity_kind"] if binding else None,
        entity_id=binding["entity_id"] if binding else None,
        slot=binding["slot"] if binding else None,
        occurred_at=now,
    ).save()
    return await streams.append(streams_keys, kind=kind.value, event_id=event_id, occurred_at=now)


async def visible_object(*, viewer: Principal, asset_object_id: str) -> dict[str, Any]:
    """The object if the viewer may read it (public, or theirs); NotFound otherwise."""
    asset = await AssetObject.select().where(AssetObject.asset_object_id == asset_object_id).first()
    if asset is None or not can_read(viewer, asset):
        raise NotFound("No such asset object.")
    return asset


def can_read(viewer: Principal, asset: dict[str, Any]) -> bool:
    return asset["access_policy"] == AccessPolicy.PUBLIC_READ or (
        viewer.user_id is not None and asset["owner_user_id"] == viewer.user_id
    )


@dataclass(frozen=True, slots=True)
class ReadUrl:
    url: str
    expires_at: datetime


def read_path(asset_object_id: str) -> str:
    return f"/assets/objects/{asset_object_id}"


def read_url(asset: dict[str, Any]) -> ReadUrl:
    """A signed URL to the object's bytes (call only after `can_read`)."""
    expires_at = clock.now() + timedelta(seconds=get_settings().asset_read_url_ttl_seconds)
    subject = asset["asset_object_id"]
    return ReadUrl(
        url=signing.signed_path(read_path(subject), READ_ACTION, subject, expires_at),
        expires_at=expires_at,
    )


async def object_for_read_url(
    *, asset_object_id: str, expires: str | None, signature: str | None
) -> dict[str, Any]:
    """The object behind a signed read URL; NotFound for a bad, expired or unknown one."""
    if signing.check(READ_ACTION, asset_object_id, expires, signature) is not None:
        raise NotFound("This link is invalid or has expired.")
    asset = await AssetObject.select().where(AssetObject.asset_object_id == asset_object_id).first()
    if asset is None:
        raise NotFound("No such asset object.")
    return asset
