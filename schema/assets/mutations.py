"""Assets mutations: upload ticket, confirmation, binding."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.assets import confirming, objects, uploads
from resolvers.assets.objects import AccessPolicy
from schema.assets.entities import ENTITY_ID, entity_object_id
from schema.assets.types import AssetBinding, AssetErrorType, AssetObject, AssetUploadTicket
from schema.context import Info
from schema.ids import object_id
from schema.mutation_errors import DomainErrorPayload
from schema.permissions import IsAuthenticated


@strawberry.input(description="The file you are about to upload.")
class AssetUploadTicketCreateInput:
    asset_kind: str = strawberry.field(
        description="What it is for: 1 to 48 lower-case letters, digits, underscores."
    )
    content_type: str = strawberry.field(
        description="MIME type; images (png, jpeg, webp, gif), glb models, mp4/webm video, "
        "mpeg/ogg/wav audio. Checked against the bytes at confirmation."
    )
    content_length: int = strawberry.field(description="Exact size in bytes (20 MiB at most).")
    sha256: str = strawberry.field(description="SHA-256 of the bytes, 64 hex digits.")
    access_policy: AccessPolicy = strawberry.field(
        default=AccessPolicy.PRIVATE, description="PRIVATE (default) or PUBLIC_READ."
    )
    replaces_asset_object_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Upload a new version of this object of yours (its `id` or raw id): "
        "confirming moves the bytes to the object's key and adds 1 to its `version`; its "
        "id, bindings, kind and access policy stay (`assetKind` and `accessPolicy` are "
        "ignored). OBJECT_NOT_FOUND if it is not yours.",
    )


@strawberry.input(description="Where to bind an object.")
class AssetObjectBindInput:
    asset_object_id: strawberry.ID = strawberry.field(
        description="Your confirmed object: its `id` (as `assetObjectConfirm` returns it) or "
        "its raw id."
    )
    entity_kind: str = strawberry.field(description="A registered entity kind (`user`, …).")
    entity_id: str = strawberry.field(description=ENTITY_ID)
    slot: str = strawberry.field(
        description="The slot: 1 to 64 lower-case letters, digits, `_ . : -`, starting "
        "with a letter (`cover`, `item:<itemId>`). Binding a slot again replaces its object."
    )


@strawberry.type(description="Result of `assetUploadTicketCreate`.")
class AssetUploadTicketCreatePayload:
    errors: list[AssetErrorType] = strawberry.field(description="Empty on success.")
    ticket: AssetUploadTicket | None = strawberry.field(description="The ticket, on success.")


@strawberry.type(description="Result of `assetObjectConfirm`.")
class AssetObjectConfirmPayload:
    errors: list[AssetErrorType] = strawberry.field(
        description="Empty on success. On SIZE_MISMATCH, HASH_MISMATCH or CONTENT_MISMATCH "
        "the bytes and the ticket are gone: start again with a new ticket."
    )
    asset_object: AssetObject | None = strawberry.field(description="The new object.")


@strawberry.type(description="Result of `assetObjectBind`.")
class AssetObjectBindPayload:
    errors: list[AssetErrorType] = strawberry.field(description="Empty on success.")
    binding: AssetBinding | None = strawberry.field(description="The slot's binding now.")


@strawberry.type
class AssetMutation:
    @strawberry.mutation(
        description="Ask to upload a file: returns a signed URL, valid 15 minutes, that "
        "takes exactly the declared bytes.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def asset_upload_ticket_create(
        self,
        info: Info,
        input: Annotated[
            AssetUploadTicketCreateInput, strawberry.argument(description="The file to come.")
        ],
    ) -> AssetUploadTicketCreatePayload:
        ticket = await uploads.create_upload_ticket(
            viewer=info.context.principal,
            asset_kind=input.asset_kind,
            content_type=input.content_type,
            content_length=input.content_length,
            sha256=input.sha256,
            access_policy=input.access_policy.value,
            replaces_asset_object_id=(
                object_id(input.replaces_asset_object_id, AssetObject)
                if input.replaces_asset_object_id is not None
                else None
            ),
        )
        return AssetUploadTicketCreatePayload(
            errors=[],
            ticket=AssetUploadTicket(
                ticket_id=strawberry.ID(ticket.ticket_id),
                upload_url=ticket.upload_url,
                expires_at=ticket.expires_at,
                max_bytes=ticket.max_bytes,
            ),
        )

    @strawberry.mutation(
        description="Confirm an upload: its stored bytes must have the declared size, SHA-256 "
        "and format. Emits a CONFIRMED asset event.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def asset_object_confirm(
        self,
        info: Info,
        ticket_id: Annotated[strawberry.ID, strawberry.argument(description="The ticket.")],
    ) -> AssetObjectConfirmPayload:
        row = await confirming.confirm_object(viewer=info.context.principal, ticket_id=ticket_id)
        return AssetObjectConfirmPayload(errors=[], asset_object=AssetObject.from_row(row))

    @strawberry.mutation(
        description="Bind your object to an entity slot, replacing the slot's previous object. "
        "Emits a BOUND event to your stream and the entity's.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def asset_object_bind(
        self,
        info: Info,
        input: Annotated[AssetObjectBindInput, strawberry.argument(description="The binding.")],
    ) -> AssetObjectBindPayload:
        binding = await objects.bind_object(
            viewer=info.context.principal,
            asset_object_id=object_id(input.asset_object_id, AssetObject),
            entity_kind=input.entity_kind,
            entity_id=entity_object_id(input.entity_kind, input.entity_id),
            slot=input.slot,
        )
        return AssetObjectBindPayload(errors=[], binding=AssetBinding.from_row(binding))
