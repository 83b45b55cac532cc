"""Confirmed objects: confirmation against the stored bytes, binding to slots, reads."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from db.transactions import write_transaction
from resolvers import clock
from resolvers.assets import signing
from resolvers.assets.entities import policy_for
from resolvers.assets.errors import AssetError, AssetErrorCode
from resolvers.assets.rows import AssetBindingRow, AssetObjectRow
from resolvers.assets.store import bindings, events, objects
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


async def bind_object(
    *, viewer: Principal, asset_object_id: str, entity_kind: str, entity_id: str, slot: str
) -> AssetBindingRow:
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
    asset = await objects.object_by_id(asset_object_id)
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
    return AssetBindingRow.from_row(binding)


async def bind_in_transaction(
    *, asset: dict[str, Any], entity_kind: str, entity_id: str, slot: str, now: datetime
) -> tuple[dict[str, Any], list[streams.StreamEntry]]:
    """Bind `asset` (its owner's) to the slot, replacing what was there, and record the
    BOUND event, inside the caller's write transaction (checks are the caller's). The
    caller publishes the entries after commit."""
    user_id = asset["owner_user_id"]
    policy = policy_for(entity_kind)
    profile_id = await policy.profile_of(entity_id) if policy is not None else None
    binding = await bindings.upsert_binding(
        binding_id=new_id(),
        asset=asset,
        entity_kind=entity_kind,
        entity_id=entity_id,
        slot=slot,
        profile_id=profile_id,
        now=now,
    )
    # The object records where it was bound last (catalog: its profile and entity).
    updated = await objects.set_bound_entity(
        asset_object_id=asset["asset_object_id"],
        profile_id=profile_id,
        entity_id=entity_id,
        now=now,
    )
    entries = await record_asset_event(
        kind=AssetEventKind.BOUND,
        asset=updated if updated is not None else asset,
        binding=binding,
        streams_keys=[user_stream(user_id), entity_stream(entity_kind, entity_id)],
        now=now,
    )
    return binding, entries


async def record_asset_event(
    *,
    kind: AssetEventKind,
    asset: dict[str, Any],
    binding: dict[str, Any] | None,
    streams_keys: list[str],
    now: datetime,
) -> list[streams.StreamEntry]:
    event_id = new_id()
    await events.insert_event(
        event_id=event_id, kind=kind.value, asset=asset, binding=binding, now=now
    )
    return await streams.append(streams_keys, kind=kind.value, event_id=event_id, occurred_at=now)


async def visible_object(*, viewer: Principal, asset_object_id: str) -> AssetObjectRow:
    """The object if the viewer may read it (public, or theirs); NotFound otherwise."""
    row = await objects.object_by_id(asset_object_id)
    asset = AssetObjectRow.from_row(row) if row is not None else None
    if asset is None or not can_read(viewer, asset):
        raise NotFound("No such asset object.")
    return asset


def can_read(viewer: Principal, asset: AssetObjectRow) -> bool:
    return asset.access_policy == AccessPolicy.PUBLIC_READ or (
        viewer.user_id is not None and asset.owner_user_id == viewer.user_id
    )


@dataclass(frozen=True, slots=True)
class ReadUrl:
    url: str
    expires_at: datetime


def read_path(asset_object_id: str) -> str:
    return f"/assets/objects/{asset_object_id}"


def read_url(asset_object_id: str) -> ReadUrl:
    """A signed URL to the object's bytes (call only after `can_read`)."""
    expires_at = clock.now() + timedelta(seconds=get_settings().asset_read_url_ttl_seconds)
    return ReadUrl(
        url=signing.signed_path(
            read_path(asset_object_id), READ_ACTION, asset_object_id, expires_at
        ),
        expires_at=expires_at,
    )


async def object_for_read_url(
    *, asset_object_id: str, expires: str | None, signature: str | None
) -> AssetObjectRow:
    """The object behind a signed read URL; NotFound for a bad, expired or unknown one."""
    if signing.check(READ_ACTION, asset_object_id, expires, signature) is not None:
        raise NotFound("This link is invalid or has expired.")
    asset = await objects.object_by_id(asset_object_id)
    if asset is None:
        raise NotFound("No such asset object.")
    return AssetObjectRow.from_row(asset)
