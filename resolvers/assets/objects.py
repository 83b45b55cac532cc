"""Confirmed objects: confirmation against the stored bytes, binding to slots, reads."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from db.tables.assets import AssetEntityBinding, AssetEvent, AssetObject
from db.transactions import write_transaction
from resolvers import clock
from resolvers.assets import signing
from resolvers.assets.entities import policy_for
from resolvers.assets.errors import AssetError, AssetErrorCode
from resolvers.assets.rows import AssetBindingRow, AssetObjectRow
from resolvers.errors import NotFound
from resolvers.ids import new_id
from resolvers.principal import Principal
from settings import get_settings
from subscriptions import streams

Binding = AssetEntityBinding

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
    rows = (
        await Binding.insert(
            Binding(
                binding_id=new_id(),
                asset_object_id=asset["asset_object_id"],
                entity_kind=entity_kind,
                entity_id=entity_id,
                slot=slot,
                asset_kind=asset["asset_kind"],
                owner_user_id=user_id,
                profile_id=profile_id,
                created_at=now,
                updated_at=now,
            )
        )
        .on_conflict(
            target=(Binding.entity_kind, Binding.entity_id, Binding.slot),
            action="DO UPDATE",
            values=[
                Binding.asset_object_id,
                Binding.asset_kind,
                Binding.owner_user_id,
                Binding.profile_id,
                Binding.updated_at,
            ],
        )
        .returning(*Binding.all_columns())
    )
    binding = dict(rows[0])
    # The object records where it was bound last (catalog: its profile and entity).
    updated = (
        await AssetObject.update(
            {
                AssetObject.profile_id: profile_id,
                AssetObject.entity_id: entity_id,
                AssetObject.updated_at: now,
            }
        )
        .where(AssetObject.asset_object_id == asset["asset_object_id"])
        .returning(*AssetObject.all_columns())
    )
    entries = await record_asset_event(
        kind=AssetEventKind.BOUND,
        asset=dict(updated[0]) if updated else asset,
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


async def visible_object(*, viewer: Principal, asset_object_id: str) -> AssetObjectRow:
    """The object if the viewer may read it (public, or theirs); NotFound otherwise."""
    row = await AssetObject.select().where(AssetObject.asset_object_id == asset_object_id).first()
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
    asset = await AssetObject.select().where(AssetObject.asset_object_id == asset_object_id).first()
    if asset is None:
        raise NotFound("No such asset object.")
    return AssetObjectRow.from_row(asset)
