"""Which entities assets may be bound to, and who may bind or watch them.

Each play type's plugin lists its entity kinds (a puzzle level, a custom world, …) with a
policy (resolvers/play_types/registry.py); binding to an unknown kind is refused. The
assets domain itself knows `user` (a user's own profile: avatar, banner), bound and
watched only by that user.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass


async def no_profile(entity_id: str) -> str | None:
    """The entity belongs to no work profile (a user's own slots)."""
    return None


async def entity_is_profile(entity_id: str) -> str | None:
    """The entity is a work profile itself: its id is the profile id."""
    return entity_id


@dataclass(frozen=True, slots=True)
class EntityPolicy:
    """`can_bind(user_id, entity_id)`, `can_view(user_id | None, entity_id)` and
    `profile_of(entity_id)`: the work profile a binding records (asset_entity_binding and
    asset_object `profile_id`), None for an entity of no profile."""

    can_bind: Callable[[str, str], Awaitable[bool]]
    can_view: Callable[[str | None, str], Awaitable[bool]]
    profile_of: Callable[[str], Awaitable[str | None]] = no_profile


async def _is_self(user_id: str | None, entity_id: str) -> bool:
    return user_id is not None and user_id == entity_id


_OWN_KINDS = {"user": EntityPolicy(can_bind=_is_self, can_view=_is_self)}


def policy_for(kind: str) -> EntityPolicy | None:
    """The policy of an entity kind: the assets domain's own, or a play type's."""
    if kind in _OWN_KINDS:
        return _OWN_KINDS[kind]
    # Imported here: the registry imports every play type, and they import this module.
    from resolvers.play_types.registry import entity_policies

    return entity_policies().get(kind)
