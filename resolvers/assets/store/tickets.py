"""The statements on `assets_upload_ticket`: a direct upload from its ticket to its
confirmation."""

from __future__ import annotations

from datetime import datetime

from db.tables.assets import AssetsUploadTicket as Ticket
from resolvers.assets.rows import UploadTicketRow


async def insert_ticket(
    *,
    ticket_id: str,
    owner_user_id: str,
    bucket: str,
    object_key: str,
    asset_kind: str,
    access_policy: str,
    content_type: str,
    content_length: int,
    content_hash: str,
    expires_at: datetime,
    created_at: datetime,
    replaces_asset_object_id: str | None,
) -> None:
    """Write a new ticket (nothing uploaded yet)."""
    await Ticket(
        ticket_id=ticket_id,
        owner_user_id=owner_user_id,
        bucket=bucket,
        object_key=object_key,
        asset_kind=asset_kind,
        access_policy=access_policy,
        content_type=content_type,
        content_length=content_length,
        content_hash=content_hash,
        expires_at=expires_at,
        created_at=created_at,
        replaces_asset_object_id=replaces_asset_object_id,
    ).save()


async def ticket_by_id(ticket_id: str) -> UploadTicketRow | None:
    """The ticket, or None."""
    row = await Ticket.select().where(Ticket.ticket_id == ticket_id).first()
    return UploadTicketRow.from_row(row) if row is not None else None


async def owned_ticket(*, ticket_id: str, owner_user_id: str) -> UploadTicketRow | None:
    """The owner's ticket, or None."""
    row = (
        await Ticket.select()
        .where((Ticket.ticket_id == ticket_id) & (Ticket.owner_user_id == owner_user_id))
        .first()
    )
    return UploadTicketRow.from_row(row) if row is not None else None


async def delete_ticket(ticket_id: str) -> None:
    """Drop the ticket."""
    await Ticket.delete().where(Ticket.ticket_id == ticket_id)


async def claim_upload(*, ticket_id: str, now: datetime) -> bool:
    """Mark the ticket uploaded unless it already was; True when this call did."""
    claimed = (
        await Ticket.update({Ticket.uploaded_at: now})
        .where((Ticket.ticket_id == ticket_id) & Ticket.uploaded_at.is_null())
        .returning(Ticket.ticket_id)
    )
    return bool(claimed)


async def claim_confirmation(*, ticket_id: str, asset_object_id: str, now: datetime) -> bool:
    """Mark the ticket confirmed as the object unless it already was; True when this call
    did."""
    claimed = (
        await Ticket.update({Ticket.confirmed_at: now, Ticket.asset_object_id: asset_object_id})
        .where((Ticket.ticket_id == ticket_id) & Ticket.confirmed_at.is_null())
        .returning(Ticket.ticket_id)
    )
    return bool(claimed)
