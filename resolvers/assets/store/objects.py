"""The statements on `asset_object`: confirmed objects (uploaded or generated)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from db.tables.assets import AssetObject
from resolvers.assets.rows import AssetObjectRow, UploadTicketRow


async def object_by_id(asset_object_id: str) -> dict[str, Any] | None:
    """The object's row as stored (binding passes it on to the events), or None."""
    row: dict[str, Any] | None = (
        await AssetObject.select().where(AssetObject.asset_object_id == asset_object_id).first()
    )
    return row


async def objects_by_ids(ids: Sequence[str]) -> dict[str, AssetObjectRow]:
    """Objects by id (one statement)."""
    rows = await AssetObject.select().where(AssetObject.asset_object_id.is_in(list(ids)))
    return {row["asset_object_id"]: AssetObjectRow.from_row(row) for row in rows}


async def owned_object(*, asset_object_id: str, owner_user_id: str) -> AssetObjectRow | None:
    """The owner's object, or None."""
    row = (
        await AssetObject.select()
        .where(
            (AssetObject.asset_object_id == asset_object_id)
            & (AssetObject.owner_user_id == owner_user_id)
        )
        .first()
    )
    return AssetObjectRow.from_row(row) if row is not None else None


async def kind_and_policy(*, asset_object_id: str, owner_user_id: str) -> tuple[str, str] | None:
    """The owner's object's asset kind and access policy, or None."""
    row = (
        await AssetObject.select(AssetObject.asset_kind, AssetObject.access_policy)
        .where(
            (AssetObject.asset_object_id == asset_object_id)
            & (AssetObject.owner_user_id == owner_user_id)
        )
        .first()
    )
    return (row["asset_kind"], row["access_policy"]) if row is not None else None


async def object_id_stored_by(source_job_id: str) -> str | None:
    """The object a job (an image task) stored, if its commit happened."""
    row = await (
        AssetObject.select(AssetObject.asset_object_id)
        .where(AssetObject.source_job_id == source_job_id)
        .first()
    )
    return None if row is None else str(row["asset_object_id"])


async def owned_object_ids(*, owner_user_id: str, asset_object_ids: Sequence[str]) -> set[str]:
    """Those of the ids that name objects of the owner (one statement)."""
    rows = await AssetObject.select(AssetObject.asset_object_id).where(
        AssetObject.asset_object_id.is_in(list(asset_object_ids))
        & (AssetObject.owner_user_id == owner_user_id)
    )
    return {row["asset_object_id"] for row in rows}


async def upsert_confirmed_object(
    *, ticket: UploadTicketRow, asset_object_id: str, key: str, user_id: str, now: datetime
) -> dict[str, Any] | None:
    """Insert the ticket's object at version 1, or, when `(bucket, object_key)` exists (of
    the same owner), bump its version and take the new bytes' metadata, in one statement;
    the row as stored, or None when the key is another owner's."""
    # Raw: Piccolo's on_conflict writes `version + 1` unqualified (ambiguous on PG).
    rows = await AssetObject.raw(
        "INSERT INTO asset_object (asset_object_id, bucket, object_key, access_policy, "
        "content_type, content_length, content_hash, version, source_job_id, owner_user_id, "
        "profile_id, entity_id, asset_kind, created_at, updated_at) "
        "VALUES ({}, {}, {}, {}, {}, {}, {}, 1, NULL, {}, NULL, NULL, {}, {}, {}) "
        "ON CONFLICT (bucket, object_key) DO UPDATE SET "
        "version = asset_object.version + 1, content_type = excluded.content_type, "
        "content_length = excluded.content_length, content_hash = excluded.content_hash, "
        "updated_at = excluded.updated_at "
        "WHERE asset_object.owner_user_id = excluded.owner_user_id "
        "RETURNING *",
        asset_object_id,
        ticket.bucket,
        key,
        ticket.access_policy,
        ticket.content_type,
        ticket.content_length,
        ticket.content_hash,
        user_id,
        ticket.asset_kind,
        now,
        now,
    )
    return dict(rows[0]) if rows else None


async def insert_object(
    *,
    asset_object_id: str,
    bucket: str,
    key: str,
    access_policy: str,
    content_type: str,
    content_length: int,
    content_hash: str,
    source_job_id: str | None,
    owner_user_id: str,
    asset_kind: str,
    now: datetime,
) -> dict[str, Any]:
    """Insert a confirmed object at version 1; its row as saved."""
    row = AssetObject(
        asset_object_id=asset_object_id,
        bucket=bucket,
        object_key=key,
        access_policy=access_policy,
        content_type=content_type,
        content_length=content_length,
        content_hash=content_hash,
        version=1,
        source_job_id=source_job_id,
        owner_user_id=owner_user_id,
        asset_kind=asset_kind,
        created_at=now,
        updated_at=now,
    )
    await row.save()
    saved: dict[str, Any] = row.to_dict()
    return saved


async def set_bound_entity(
    *, asset_object_id: str, profile_id: str | None, entity_id: str, now: datetime
) -> dict[str, Any] | None:
    """Record where the object was bound last (its profile and entity); its row as
    stored, or None when it is gone."""
    updated = (
        await AssetObject.update(
            {
                AssetObject.profile_id: profile_id,
                AssetObject.entity_id: entity_id,
                AssetObject.updated_at: now,
            }
        )
        .where(AssetObject.asset_object_id == asset_object_id)
        .returning(*AssetObject.all_columns())
    )
    return dict(updated[0]) if updated else None
