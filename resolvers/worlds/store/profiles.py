"""Statements on custom worlds as works (`custom_world_profile`). Every read of a live
world filters on `deleted_at IS NULL`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from piccolo.columns.combination import Where

from db.tables.worlds import CustomWorldDraftCard, CustomWorldProfile
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.worlds.rows import WorldAccess, WorldProfileRow
from resolvers.worlds.store.sessions import dumps

Profile = CustomWorldProfile


async def insert_profile(
    *,
    profile_id: str,
    owner_user_id: str,
    session_id: str,
    status: WorkPublicationStatus,
    author_display_name: str,
    author_public_user_code: str | None,
    now: datetime,
) -> None:
    """Insert the work of a new agent session (no cover, not published)."""
    await CustomWorldProfile(
        profile_id=profile_id,
        owner_user_id=owner_user_id,
        source_agent_session_id=session_id,
        publication_status=status.value,
        author_display_name=author_display_name,
        author_public_user_code=author_public_user_code,
        created_at=now,
        updated_at=now,
    ).save()


async def lock_profile(*, session_id: str, now: datetime) -> WorldProfileRow | None:
    """Lock the live world of an agent session with one conditional UPDATE."""
    rows = await (
        Profile.update({Profile.updated_at: now})
        .where((Profile.source_agent_session_id == session_id) & Profile.deleted_at.is_null())
        .returning(*Profile.all_columns())
    )
    return WorldProfileRow.from_row(rows[0]) if rows else None


async def update_profile(*, profile: WorldProfileRow, now: datetime) -> None:
    """Write a world's published fields, payload and publication state."""
    table = CustomWorldProfile
    await table.update(
        {
            table.public_work_code: profile.public_work_code,
            table.author_public_user_code: profile.author_public_user_code,
            table.publication_status: profile.publication_status.value,
            table.world_name: profile.world_name,
            table.subtitle: profile.subtitle,
            table.summary_text: profile.summary_text,
            table.theme_mode: profile.theme_mode,
            table.cover_image_src: profile.cover_image_src,
            table.profile_payload_json: dumps(profile.profile_payload_json),
            table.playable_npc_count: profile.playable_npc_count,
            table.landmark_count: profile.landmark_count,
            table.author_display_name: profile.author_display_name,
            table.published_at: profile.published_at,
            table.updated_at: now,
        }
    ).where(table.profile_id == profile.profile_id)


async def set_public_code(*, profile_id: str, code: str) -> None:
    """Give the world `code` unless it has one (the unique index refuses a taken code)."""
    await Profile.update({Profile.public_work_code: code}).where(
        (Profile.profile_id == profile_id) & Profile.public_work_code.is_null()
    )


async def soft_delete_profile(*, profile_id: str, now: datetime) -> None:
    """Set the world's `deleted_at`."""
    await Profile.update({Profile.deleted_at: now, Profile.updated_at: now}).where(
        Profile.profile_id == profile_id
    )


async def session_of_profile(*, profile_id: str, owner_user_id: str) -> str | None:
    """The agent session behind the owner's live world (unlocked read)."""
    row = await (
        Profile.select(Profile.source_agent_session_id)
        .where(
            (Profile.profile_id == profile_id)
            & (Profile.owner_user_id == owner_user_id)
            & Profile.deleted_at.is_null()
        )
        .first()
    )
    return row["source_agent_session_id"] if row else None


async def profiles_with_ids(profile_ids: Sequence[str]) -> list[WorldProfileRow]:
    """Live worlds among `profile_ids` (not empty)."""
    rows = await (
        Profile.select()
        .where(Profile.profile_id.is_in(list(profile_ids)) & Profile.deleted_at.is_null())
        .output(load_json=True)
    )
    return [WorldProfileRow.from_row(row) for row in rows]


async def works_page(
    *,
    user_id: str,
    status: WorkPublicationStatus | None,
    after: tuple[datetime, str] | None,
    limit: int,
) -> list[WorldProfileRow]:
    """Up to `limit` of the user's live worlds (of `status`, when given) after the keyset
    position `after`, most recently changed first."""
    query = Profile.select().where(
        (Profile.owner_user_id == user_id) & Profile.deleted_at.is_null()
    )
    if status is not None:
        query = query.where(Profile.publication_status == status.value)
    if after is not None:
        at, profile_id = after
        query = query.where(
            (Profile.updated_at < at)
            | ((Profile.updated_at == at) & (Profile.profile_id < profile_id))
        )
    rows = await (
        query.order_by(Profile.updated_at, Profile.profile_id, ascending=False)
        .limit(limit)
        .output(load_json=True)
    )
    return [WorldProfileRow.from_row(row) for row in rows]


# --- asset entity checks (resolvers/worlds/entities.py) -------------------------------------


async def world_access(profile_id: str) -> WorldAccess | None:
    """The owner and publication status of a live world."""
    row = await (
        Profile.select(Profile.owner_user_id, Profile.publication_status)
        .where((Profile.profile_id == profile_id) & Profile.deleted_at.is_null())
        .first()
    )
    return WorldAccess.from_row(row) if row else None


def _of_card(card_id: str) -> Where:
    """The profile of the card's session (no foreign key declares the link, so a subquery
    stands for the join: at most one card, one profile per session)."""
    card = CustomWorldDraftCard
    session = card.select(card.session_id).where(card.card_id == card_id)
    return Profile.source_agent_session_id.is_in(session)


async def world_access_of_card(card_id: str) -> WorldAccess | None:
    """The owner and publication status of the live world a card belongs to."""
    row = await (
        Profile.select(Profile.owner_user_id, Profile.publication_status)
        .where(_of_card(card_id) & Profile.deleted_at.is_null())
        .first()
    )
    return WorldAccess.from_row(row) if row else None


async def profile_of_card(card_id: str) -> str | None:
    """The profile id of the world a card belongs to (deleted or not)."""
    row = await Profile.select(Profile.profile_id).where(_of_card(card_id)).first()
    return str(row["profile_id"]) if row else None
