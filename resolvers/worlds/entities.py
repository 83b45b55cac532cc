"""The entity kinds custom worlds bind assets to (resolvers/assets/entities.py), listed
by the worlds plugin.

- `custom_world` (entity id: the profile id), slot `cover`: the world's cover image.
  Only the owner binds, while the world exists (not soft-deleted); the owner sees its
  slots, and anyone sees those of a published world.
- `custom_world_card` (entity id: the card id), slot `image`: a character's portrait or a
  place's picture. Same rules, through the card's world.
"""

from __future__ import annotations

from piccolo.columns.combination import Where

from db.tables.worlds import CustomWorldDraftCard, CustomWorldProfile
from resolvers.assets.entities import EntityPolicy, entity_is_profile
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.worlds.model import CARD_ENTITY_KIND, WORLD_ENTITY_KIND

Card, Profile = CustomWorldDraftCard, CustomWorldProfile


async def _world(profile_id: str) -> dict[str, str] | None:
    return await (
        CustomWorldProfile.select(
            CustomWorldProfile.owner_user_id, CustomWorldProfile.publication_status
        )
        .where(
            (CustomWorldProfile.profile_id == profile_id) & CustomWorldProfile.deleted_at.is_null()
        )
        .first()
    )


def _of_card(card_id: str) -> Where:
    """The profile of the card's session (no foreign key declares the link, so a subquery
    stands for the join: at most one card, one profile per session)."""
    session = Card.select(Card.session_id).where(Card.card_id == card_id)
    return Profile.source_agent_session_id.is_in(session)


async def _world_of_card(card_id: str) -> dict[str, str] | None:
    return await (
        Profile.select(Profile.owner_user_id, Profile.publication_status)
        .where(_of_card(card_id) & Profile.deleted_at.is_null())
        .first()
    )


async def _profile_of_card(card_id: str) -> str | None:
    row = await Profile.select(Profile.profile_id).where(_of_card(card_id)).first()
    return str(row["profile_id"]) if row else None


def _may_bind(world: dict[str, str] | None, user_id: str) -> bool:
    return world is not None and world["owner_user_id"] == user_id


def _may_view(world: dict[str, str] | None, user_id: str | None) -> bool:
    if world is None:
        return False
    return (
        world["publication_status"] == WorkPublicationStatus.PUBLISHED.value
        or world["owner_user_id"] == user_id
    )


async def _bind_world(user_id: str, entity_id: str) -> bool:
    return _may_bind(await _world(entity_id), user_id)


async def _view_world(user_id: str | None, entity_id: str) -> bool:
    return _may_view(await _world(entity_id), user_id)


async def _bind_card(user_id: str, entity_id: str) -> bool:
    return _may_bind(await _world_of_card(entity_id), user_id)


async def _view_card(user_id: str | None, entity_id: str) -> bool:
    return _may_view(await _world_of_card(entity_id), user_id)


# The plugin's asset entity kinds (resolvers/worlds/plugin.py).
ENTITY_POLICIES = {
    WORLD_ENTITY_KIND: EntityPolicy(
        can_bind=_bind_world, can_view=_view_world, profile_of=entity_is_profile
    ),
    CARD_ENTITY_KIND: EntityPolicy(
        can_bind=_bind_card, can_view=_view_card, profile_of=_profile_of_card
    ),
}
