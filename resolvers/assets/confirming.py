"""Confirmation: an uploaded ticket becomes an asset object (a new one at version 1, or a
new version of the object the ticket replaces), after checking the stored bytes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from db.transactions import write_transaction
from resolvers import clock, formats
from resolvers.assets.errors import AssetError, AssetErrorCode
from resolvers.assets.objects import AssetEventKind, record_asset_event, user_stream
from resolvers.assets.rows import AssetObjectRow, UploadTicketRow
from resolvers.assets.storage import get_storage
from resolvers.assets.store import objects, tickets
from resolvers.ids import new_id
from resolvers.principal import Principal
from subscriptions import streams


async def confirm_object(*, viewer: Principal, ticket_id: str) -> AssetObjectRow:
    """Turn an uploaded ticket into an asset object, after checking the stored bytes.

    Size, SHA-256 and format must match what the ticket declared; otherwise the bytes and
    the ticket are deleted and nothing is written. A ticket that replaces an object of the
    viewer's confirms a new version of it: the bytes move to the object's key and the
    object's version goes up by one (same id, kind, access policy and bindings).
    """
    user_id = viewer.require_user()
    ticket = await tickets.owned_ticket(ticket_id=ticket_id, owner_user_id=user_id)
    if ticket is None:
        raise AssetError(
            AssetErrorCode.TICKET_NOT_FOUND, "No such upload ticket.", field="ticketId"
        )
    if ticket.confirmed_at is not None:
        raise AssetError(
            AssetErrorCode.ALREADY_CONFIRMED, "This upload is already confirmed.", field="ticketId"
        )
    if ticket.uploaded_at is None:
        raise AssetError(
            AssetErrorCode.NOT_UPLOADED,
            "Upload the bytes to the ticket URL first.",
            field="ticketId",
        )
    replaced = await _replaced_object(ticket, user_id)
    storage = get_storage()
    digest = await storage.digest(ticket.bucket, ticket.object_key)
    problem: AssetError | None = None
    if digest is None or digest.size != ticket.content_length:
        problem = AssetError(
            AssetErrorCode.SIZE_MISMATCH, "The stored bytes are not the declared size."
        )
    elif digest.sha256 != ticket.content_hash:
        problem = AssetError(
            AssetErrorCode.HASH_MISMATCH, "The stored bytes do not match the declared SHA-256."
        )
    elif not formats.matches(ticket.content_type, digest.head):
        problem = AssetError(
            AssetErrorCode.CONTENT_MISMATCH, f"The bytes are not {ticket.content_type}."
        )
    if problem is not None:
        await storage.delete(ticket.bucket, ticket.object_key)
        await tickets.delete_ticket(ticket_id)
        raise problem
    now = clock.now()
    asset_object_id = replaced.asset_object_id if replaced else new_id()
    target_key = replaced.object_key if replaced else ticket.object_key
    async with write_transaction():
        if not await tickets.claim_confirmation(
            ticket_id=ticket_id, asset_object_id=asset_object_id, now=now
        ):
            raise AssetError(
                AssetErrorCode.ALREADY_CONFIRMED,
                "This upload is already confirmed.",
                field="ticketId",
            )
        asset = await _upsert_object(ticket, asset_object_id, target_key, user_id, now)
        if target_key != ticket.object_key:
            await storage.move(ticket.bucket, ticket.object_key, target_key)
        entries = await record_asset_event(
            kind=AssetEventKind.CONFIRMED,
            asset=asset,
            binding=None,
            streams_keys=[user_stream(user_id)],
            now=now,
        )
    await streams.publish(entries)
    return AssetObjectRow.from_row(asset)


async def _replaced_object(ticket: UploadTicketRow, user_id: str) -> AssetObjectRow | None:
    """The object a ticket replaces (None for a new object); refused if it is gone."""
    if ticket.replaces_asset_object_id is None:
        return None
    replaced = await objects.owned_object(
        asset_object_id=ticket.replaces_asset_object_id, owner_user_id=user_id
    )
    if replaced is None:
        raise AssetError(
            AssetErrorCode.OBJECT_NOT_FOUND, "The object to replace is gone.", field="ticketId"
        )
    return replaced


async def _upsert_object(
    ticket: UploadTicketRow, asset_object_id: str, key: str, user_id: str, now: datetime
) -> dict[str, Any]:
    """Insert the object at version 1, or, when `(bucket, object_key)` exists (of the same
    owner), bump its version and take the new bytes' metadata, in one statement."""
    row = await objects.upsert_confirmed_object(
        ticket=ticket, asset_object_id=asset_object_id, key=key, user_id=user_id, now=now
    )
    if row is None:
        raise AssetError(
            AssetErrorCode.NOT_OWNER, "This object key is someone else's.", field="ticketId"
        )
    return row
