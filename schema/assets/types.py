"""Asset objects, bindings, events and upload tickets."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import strawberry
from strawberry import relay

from resolvers.assets.errors import AssetErrorCode
from resolvers.assets.objects import AccessPolicy, AssetEventKind, ReadUrl, can_read, read_url
from resolvers.assets.queries import objects_by_ids
from resolvers.assets.rows import AssetBindingRow, AssetEventRow, AssetObjectRow
from schema.context import Info

strawberry.enum(AssetErrorCode, description="Why an assets mutation was refused.")
strawberry.enum(AccessPolicy, description="Who may read an object: its owner, or anyone.")
strawberry.enum(AssetEventKind, description="What happened to an asset.")


@strawberry.type(description="A stored file (image, model, audio, video) confirmed by its owner.")
class AssetObject(relay.Node):
    asset_object_id: relay.NodeID[str]
    asset_kind: str = strawberry.field(description="What it is for (`cover`, `level_image`, …).")
    access_policy: AccessPolicy = strawberry.field(description="PRIVATE: owner only.")
    content_type: str | None = strawberry.field(description="MIME type, checked against the bytes.")
    content_length: int = strawberry.field(description="Size in bytes.")
    content_hash: str | None = strawberry.field(description="SHA-256 of the bytes (hex).")
    version: int = strawberry.field(
        description="Version of the object: 1 for a new upload, plus 1 for each new version "
        "confirmed (`replacesAssetObjectId`)."
    )
    source_job_id: str | None = strawberry.field(
        description="The AI task that produced it (an image generation), null for uploads."
    )
    profile_id: str | None = strawberry.field(
        description="The work profile of the entity it was last bound to, if any."
    )
    entity_id: str | None = strawberry.field(
        description="The entity it was last bound to, null before any binding."
    )
    created_at: datetime = strawberry.field(description="Confirmation time.")
    row: strawberry.Private[AssetObjectRow]
    signed: strawberry.Private[ReadUrl | None] = None

    def _signed(self) -> ReadUrl:
        # One signature per object, so `readUrl` and `readUrlExpiresAt` always agree.
        if self.signed is None:
            self.signed = read_url(self.row.asset_object_id)
        return self.signed

    @strawberry.field(
        description="A signed URL to the bytes, valid 15 minutes (ASSET_READ_URL_TTL_SECONDS)."
    )
    def read_url(self) -> str:
        return self._signed().url

    @strawberry.field(description="When `readUrl` stops working.")
    def read_url_expires_at(self) -> datetime:
        return self._signed().expires_at

    @classmethod
    def from_row(cls, row: AssetObjectRow) -> AssetObject:
        return cls(
            asset_object_id=row.asset_object_id,
            asset_kind=row.asset_kind,
            access_policy=AccessPolicy(row.access_policy),
            content_type=row.content_type,
            content_length=row.content_length,
            content_hash=row.content_hash,
            version=row.version,
            source_job_id=row.source_job_id,
            profile_id=row.profile_id,
            entity_id=row.entity_id,
            created_at=row.created_at,
            row=row,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[AssetObject | None]:
        ids = list(node_ids)
        rows = await objects_by_ids(ids)
        principal = info.context.principal
        return [
            cls.from_row(rows[i]) if i in rows and can_read(principal, rows[i]) else None
            for i in ids
        ]


@strawberry.type(description="An object bound to an entity slot (one object per slot).")
class AssetBinding:
    id: strawberry.ID = strawberry.field(description="The binding id.")
    asset_object_id: strawberry.ID = strawberry.field(description="The bound object's id.")
    entity_kind: str = strawberry.field(description="Kind of entity (`user`, `puzzle_level`, …).")
    entity_id: str = strawberry.field(description="The entity's id.")
    slot: str = strawberry.field(description="The slot (`avatar`, `cover`, …).")
    asset_kind: str = strawberry.field(description="The bound object's kind.")
    updated_at: datetime = strawberry.field(description="When the slot last changed.")

    @classmethod
    def from_row(cls, row: AssetBindingRow) -> AssetBinding:
        return cls(
            id=strawberry.ID(row.binding_id),
            asset_object_id=strawberry.ID(row.asset_object_id),
            entity_kind=row.entity_kind,
            entity_id=row.entity_id,
            slot=row.slot,
            asset_kind=row.asset_kind,
            updated_at=row.updated_at,
        )


@strawberry.type(description="One event of an asset stream.")
class AssetEvent:
    sequence: int = strawberry.field(description="Position in the stream; resume `after` it.")
    kind: AssetEventKind = strawberry.field(description="CONFIRMED or BOUND.")
    asset_object_id: strawberry.ID = strawberry.field(description="The object concerned.")
    asset_kind: str = strawberry.field(description="The object's kind.")
    binding_id: strawberry.ID | None = strawberry.field(description="For BOUND: the binding.")
    entity_kind: str | None = strawberry.field(description="For BOUND: the entity's kind.")
    entity_id: str | None = strawberry.field(description="For BOUND: the entity's id.")
    slot: str | None = strawberry.field(description="For BOUND: the slot.")
    occurred_at: datetime = strawberry.field(description="When it happened.")

    @classmethod
    def from_row(cls, sequence: int, row: AssetEventRow) -> AssetEvent:
        binding = row.binding_id
        return cls(
            sequence=sequence,
            kind=AssetEventKind(row.event_kind),
            asset_object_id=strawberry.ID(row.asset_object_id),
            asset_kind=row.asset_kind,
            binding_id=strawberry.ID(binding) if binding else None,
            entity_kind=row.entity_kind,
            entity_id=row.entity_id,
            slot=row.slot,
            occurred_at=row.occurred_at,
        )


@strawberry.type(description="Where and how to upload the bytes of a new object.")
class AssetUploadTicket:
    ticket_id: strawberry.ID = strawberry.field(description="Pass to `assetObjectConfirm`.")
    upload_url: str = strawberry.field(
        description="Send the bytes with `PUT` (body = the file) to this URL, relative to the "
        "API's origin. Signed; expires with the ticket."
    )
    expires_at: datetime = strawberry.field(description="15 minutes after creation.")
    max_bytes: int = strawberry.field(description="The exact size the upload must have.")


@strawberry.type(name="AssetError", description="Why an assets mutation did nothing.")
class AssetErrorType:
    code: AssetErrorCode = strawberry.field(description="Machine-readable reason.")
    field: str | None = strawberry.field(description="The input field at fault, if any.")
    message: str = strawberry.field(description="Human-readable explanation.")
