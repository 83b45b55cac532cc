"""Direct uploads: a signed ticket, then the bytes sent to the ticket's URL."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from db.transactions import write_transaction
from resolvers import clock
from resolvers.assets import signing
from resolvers.assets.errors import AssetError, AssetErrorCode
from resolvers.assets.storage import TooLarge, get_storage
from resolvers.assets.store import objects, tickets
from resolvers.ids import new_id
from resolvers.principal import Principal
from settings import get_settings

ASSET_KIND = re.compile(r"^[a-z][a-z0-9_]{0,47}$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
UPLOAD_ACTION = "upload"


@dataclass(frozen=True, slots=True)
class ReceivedUpload:
    """An upload the ticket accepted: its size and SHA-256 (hex)."""

    ticket_id: str
    size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class UploadTicket:
    ticket_id: str
    upload_url: str
    expires_at: datetime
    max_bytes: int


def upload_path(ticket_id: str) -> str:
    return f"/assets/uploads/{ticket_id}"


async def create_upload_ticket(
    *,
    viewer: Principal,
    asset_kind: str,
    content_type: str,
    content_length: int,
    sha256: str,
    access_policy: str,
    replaces_asset_object_id: str | None = None,
) -> UploadTicket:
    """A ticket to PUT exactly `content_length` bytes hashing to `sha256`, for 15 minutes.

    With `replaces_asset_object_id` (an object of the viewer's), confirming the upload makes
    a new version of that object (its kind and access policy are kept: the ticket takes
    them from the object)."""
    user_id = viewer.require_user()
    settings = get_settings()
    if replaces_asset_object_id is not None:
        replaced = await objects.kind_and_policy(
            asset_object_id=replaces_asset_object_id, owner_user_id=user_id
        )
        if replaced is None:
            raise AssetError(
                AssetErrorCode.OBJECT_NOT_FOUND,
                "No such asset object of yours.",
                field="replacesAssetObjectId",
            )
        asset_kind, access_policy = replaced
    if not ASSET_KIND.match(asset_kind):
        raise AssetError(
            AssetErrorCode.ASSET_KIND_INVALID,
            "Asset kinds are 1 to 48 lower-case letters, digits or underscores.",
            field="assetKind",
        )
    normalized_type = content_type.split(";")[0].strip().lower()
    if normalized_type not in settings.asset_allowed_content_types:
        raise AssetError(
            AssetErrorCode.CONTENT_TYPE_NOT_ALLOWED,
            f"Allowed content types: {', '.join(settings.asset_allowed_content_types)}.",
            field="contentType",
        )
    if content_length < 1:
        raise AssetError(
            AssetErrorCode.SIZE_INVALID, "An upload has at least one byte.", field="contentLength"
        )
    if content_length > settings.asset_max_bytes:
        raise AssetError(
            AssetErrorCode.TOO_LARGE,
            f"Uploads are limited to {settings.asset_max_bytes} bytes.",
            field="contentLength",
        )
    digest = sha256.strip().lower()
    if not SHA256.match(digest):
        raise AssetError(
            AssetErrorCode.HASH_INVALID, "Give the SHA-256 as 64 hex digits.", field="sha256"
        )
    ticket_id = new_id()
    now = clock.now()
    expires_at = now + timedelta(seconds=settings.asset_upload_ttl_seconds)
    await tickets.insert_ticket(
        ticket_id=ticket_id,
        owner_user_id=user_id,
        bucket=settings.asset_bucket,
        object_key=f"{asset_kind}/{user_id}/{ticket_id}",
        asset_kind=asset_kind,
        access_policy=access_policy,
        content_type=normalized_type,
        content_length=content_length,
        content_hash=digest,
        expires_at=expires_at,
        created_at=now,
        replaces_asset_object_id=replaces_asset_object_id,
    )
    return UploadTicket(
        ticket_id=ticket_id,
        upload_url=signing.signed_path(
            upload_path(ticket_id), UPLOAD_ACTION, ticket_id, expires_at
        ),
        expires_at=expires_at,
        max_bytes=content_length,
    )


async def receive_upload(
    *,
    ticket_id: str,
    expires: str | None,
    signature: str | None,
    chunks: AsyncIterator[bytes],
) -> ReceivedUpload:
    """Store the bytes of a ticket's upload; they must match the declared size and hash.

    Refused uploads leave no file behind. A ticket takes one successful upload.
    """
    problem = signing.check(UPLOAD_ACTION, ticket_id, expires, signature)
    if problem == "invalid":
        raise AssetError(AssetErrorCode.SIGNATURE_INVALID, "The upload URL is not valid.")
    if problem == "expired":
        raise AssetError(AssetErrorCode.TICKET_EXPIRED, "The upload URL has expired.")
    ticket = await tickets.ticket_by_id(ticket_id)
    if ticket is None:
        raise AssetError(AssetErrorCode.TICKET_NOT_FOUND, "No such upload ticket.")
    if ticket.uploaded_at is not None:
        raise AssetError(AssetErrorCode.ALREADY_UPLOADED, "This ticket was already used.")
    storage = get_storage()
    # Each attempt writes its own key; the winner's bytes are moved to the ticket's key.
    attempt_key = f"{ticket.object_key}.{new_id()}.upload"
    try:
        digest = await storage.save(
            ticket.bucket, attempt_key, chunks, max_bytes=ticket.content_length
        )
    except TooLarge as error:
        raise AssetError(
            AssetErrorCode.SIZE_MISMATCH, "More bytes than the ticket declared."
        ) from error
    try:
        if digest.size != ticket.content_length:
            raise AssetError(
                AssetErrorCode.SIZE_MISMATCH,
                f"Received {digest.size} bytes; the ticket declared {ticket.content_length}.",
            )
        if digest.sha256 != ticket.content_hash:
            raise AssetError(
                AssetErrorCode.HASH_MISMATCH, "The bytes do not match the declared SHA-256."
            )
        async with write_transaction():
            if not await tickets.claim_upload(ticket_id=ticket_id, now=clock.now()):
                raise AssetError(AssetErrorCode.ALREADY_UPLOADED, "This ticket was already used.")
            await storage.move(ticket.bucket, attempt_key, ticket.object_key)
    except BaseException:
        await storage.delete(ticket.bucket, attempt_key)
        raise
    return ReceivedUpload(ticket_id=ticket_id, size=digest.size, sha256=digest.sha256)
