"""The typed rows of the assets domain (objects, bindings, events, upload tickets, bound
assets for the gates), each built in `from_row` from a select or a raw `RETURNING`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class AssetObjectRow:
    """A confirmed object: where its bytes are, who may read it, what it is for."""

    asset_object_id: str
    bucket: str
    object_key: str
    access_policy: str
    content_type: str | None
    content_length: int
    content_hash: str | None
    version: int
    source_job_id: str | None
    owner_user_id: str | None
    profile_id: str | None
    entity_id: str | None
    asset_kind: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> AssetObjectRow:
        return cls(
            asset_object_id=row["asset_object_id"],
            bucket=row["bucket"],
            object_key=row["object_key"],
            access_policy=row["access_policy"],
            content_type=row["content_type"],
            content_length=row["content_length"],
            content_hash=row["content_hash"],
            version=row["version"],
            source_job_id=row["source_job_id"],
            owner_user_id=row["owner_user_id"],
            profile_id=row["profile_id"],
            entity_id=row["entity_id"],
            asset_kind=row["asset_kind"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
        )


@dataclass(frozen=True, slots=True)
class AssetBindingRow:
    """An object bound to an entity's slot (`asset_entity_binding`)."""

    binding_id: str
    asset_object_id: str
    entity_kind: str
    entity_id: str
    slot: str
    asset_kind: str
    owner_user_id: str | None
    profile_id: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> AssetBindingRow:
        return cls(
            binding_id=row["binding_id"],
            asset_object_id=row["asset_object_id"],
            entity_kind=row["entity_kind"],
            entity_id=row["entity_id"],
            slot=row["slot"],
            asset_kind=row["asset_kind"],
            owner_user_id=row["owner_user_id"],
            profile_id=row["profile_id"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
        )


@dataclass(frozen=True, slots=True)
class AssetEventRow:
    """One event of an asset stream (`asset_event`): CONFIRMED, or BOUND with its binding."""

    event_id: str
    asset_object_id: str
    binding_id: str | None
    event_kind: str
    asset_kind: str
    owner_user_id: str | None
    profile_id: str | None
    entity_kind: str | None
    entity_id: str | None
    slot: str | None
    occurred_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> AssetEventRow:
        return cls(
            event_id=row["event_id"],
            asset_object_id=row["asset_object_id"],
            binding_id=row["binding_id"],
            event_kind=row["event_kind"],
            asset_kind=row["asset_kind"],
            owner_user_id=row["owner_user_id"],
            profile_id=row["profile_id"],
            entity_kind=row["entity_kind"],
            entity_id=row["entity_id"],
            slot=row["slot"],
            occurred_at=row["occurred_at"],
        )


@dataclass(frozen=True, slots=True)
class UploadTicketRow:
    """A direct upload in progress (`assets_upload_ticket`): what was declared, and whether
    the bytes arrived and were confirmed."""

    ticket_id: str
    owner_user_id: str
    bucket: str
    object_key: str
    asset_kind: str
    access_policy: str
    content_type: str
    content_length: int
    content_hash: str
    expires_at: datetime
    uploaded_at: datetime | None
    confirmed_at: datetime | None
    replaces_asset_object_id: str | None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> UploadTicketRow:
        return cls(
            ticket_id=row["ticket_id"],
            owner_user_id=row["owner_user_id"],
            bucket=row["bucket"],
            object_key=row["object_key"],
            asset_kind=row["asset_kind"],
            access_policy=row["access_policy"],
            content_type=row["content_type"],
            content_length=row["content_length"],
            content_hash=row["content_hash"],
            expires_at=row["expires_at"],
            uploaded_at=row["uploaded_at"],
            confirmed_at=row["confirmed_at"],
            replaces_asset_object_id=row["replaces_asset_object_id"],
        )


@dataclass(frozen=True, slots=True)
class BoundAsset:
    """An object bound to an entity's slot, with what a gate checks of it."""

    entity_kind: str
    entity_id: str
    slot: str
    asset_object_id: str
    content_type: str
    access_policy: str
    owner_user_id: str

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> BoundAsset:
        return cls(
            entity_kind=row["entity_kind"],
            entity_id=row["entity_id"],
            slot=row["slot"],
            asset_object_id=row["asset_object_id"],
            content_type=row["content_type"],
            access_policy=row["access_policy"],
            owner_user_id=row["owner_user_id"],
        )


@dataclass(frozen=True, slots=True)
class BindingTarget:
    """What `bound_assets` reads: entities of one kind, and the slot asked for (None: every
    slot)."""

    entity_kind: str
    entity_ids: Sequence[str]
    slot: str | None = None
