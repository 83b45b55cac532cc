"""Objects made by this service rather than uploaded (generated images): stored, confirmed
and bound in one go.

The bytes are written first (a reader never sees a half-written object, storage.py); then
one transaction inserts the confirmed object, records its CONFIRMED event, binds it to the
slot (replacing an earlier binding) and records the BOUND event. A failed transaction
deletes the bytes again, so nothing is left behind. The caller has checked who may bind.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from db.transactions import write_transaction
from resolvers import clock
from resolvers.assets.objects import (
    AccessPolicy,
    AssetEventKind,
    bind_in_transaction,
    record_asset_event,
    user_stream,
)
from resolvers.assets.storage import CHUNK, get_storage
from resolvers.assets.store.objects import insert_object
from resolvers.ids import new_id
from settings import get_settings
from subscriptions import streams

EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}


@dataclass(frozen=True, slots=True)
class Generated:
    """The data of a generated object and where it goes."""

    owner_user_id: str
    asset_kind: str
    content_type: str
    data: bytes
    access_policy: AccessPolicy
    entity_kind: str
    entity_id: str
    slot: str
    source_job_id: str | None = None


async def _chunks(data: bytes) -> AsyncIterator[bytes]:
    for start in range(0, len(data), CHUNK):
        yield data[start : start + CHUNK]


async def store_and_bind(generated: Generated) -> tuple[dict[str, Any], dict[str, Any]]:
    """Store the bytes, create the confirmed object and bind it; (object, binding)."""
    settings = get_settings()
    storage = get_storage()
    asset_object_id = new_id()
    extension = EXTENSIONS.get(generated.content_type, "bin")
    key = f"{generated.asset_kind}/{generated.owner_user_id}/{asset_object_id}.{extension}"
    digest = await storage.save(
        settings.asset_bucket, key, _chunks(generated.data), max_bytes=len(generated.data)
    )
    now = clock.now()
    try:
        async with write_transaction():
            asset = await insert_object(
                asset_object_id=asset_object_id,
                bucket=settings.asset_bucket,
                key=key,
                access_policy=generated.access_policy.value,
                content_type=generated.content_type,
                content_length=digest.size,
                content_hash=digest.sha256,
                source_job_id=generated.source_job_id,
                owner_user_id=generated.owner_user_id,
                asset_kind=generated.asset_kind,
                now=now,
            )
            entries = await record_asset_event(
                kind=AssetEventKind.CONFIRMED,
                asset=asset,
                binding=None,
                streams_keys=[user_stream(generated.owner_user_id)],
                now=now,
            )
            binding, bound = await bind_in_transaction(
                asset=asset,
                entity_kind=generated.entity_kind,
                entity_id=generated.entity_id,
                slot=generated.slot,
                now=now,
            )
    except BaseException:
        await storage.delete(settings.asset_bucket, key)
        raise
    await streams.publish(entries + bound)
    return asset, binding
