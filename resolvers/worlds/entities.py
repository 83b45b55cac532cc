"""The entity kinds custom worlds bind assets to (resolvers/assets/entities.py), listed
by the worlds plugin.

- `custom_world` (entity id: the profile id), slot `cover`: the world's cover image.
  Only the owner binds, while the world exists (not soft-deleted); the owner sees its
  slots, and anyone sees those of a published world.
- `custom_world_card` (entity id: the card id), slot `image`: a character's portrait or a
  place's picture. Same rules, through the card's world.
"""

from __future__ import annotations

from resolvers.assets.entities import EntityPolicy, entity_is_profile
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.worlds.model import CARD_ENTITY_KIND, WORLD_ENTITY_KIND
from resolvers.worlds.rows import WorldAccess
from resolvers.worlds.store.profiles import profile_of_card, world_access, world_access_of_card


def _may_bind(world: WorldAccess | None, user_id: str) -> bool:
    return world is not None and world.owner_user_id == user_id


def _may_view(world: WorldAccess | None, user_id: str | None) -> bool:
    if world is None:
        return False
    return (
        world.publication_status == WorkPublicationStatus.PUBLISHED.value
        or world.owner_user_id == user_id
    )


async def _bind_world(user_id: str, entity_id: str) -> bool:
    return _may_bind(await world_access(entity_id), user_id)


async def _view_world(user_id: str | None, entity_id: str) -> bool:
    return _may_view(await world_access(entity_id), user_id)


async def _bind_card(user_id: str, entity_id: str) -> bool:
    return _may_bind(await world_access_of_card(entity_id), user_id)


async def _view_card(user_id: str | None, entity_id: str) -> bool:
    return _may_view(await world_access_of_card(entity_id), user_id)


# The plugin's asset entity kinds (resolvers/worlds/plugin.py).
ENTITY_POLICIES = {
    WORLD_ENTITY_KIND: EntityPolicy(
        can_bind=_bind_world, can_view=_view_world, profile_of=entity_is_profile
    ),
    CARD_ENTITY_KIND: EntityPolicy(
        can_bind=_bind_card, can_view=_view_card, profile_of=profile_of_card
    ),
}
