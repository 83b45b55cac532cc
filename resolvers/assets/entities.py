"""Which entities assets may be bound to, and who may bind or watch them.

Each domain registers its entity kinds (a puzzle level, a custom world, …) with a policy;
binding to an unknown kind is refused. The assets domain itself knows `user` (a user's own
profile: avatar, banner), bound and watched only by that user.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class EntityPolicy:
    """`can_bind(user_id, entity_id)` and `can_view(user_id | None, entity_id)`."""

    can_bind: Callable[[str, str], Awaitable[bool]]
    can_view: Callable[[str | None, str], Awaitable[bool]]


_policies: dict[str, EntityPolicy] = {}


def register_entity_kind(kind: str, policy: EntityPolicy) -> None:
    _policies[kind] = policy


def policy_for(kind: str) -> EntityPolicy | None:
    return _policies.get(kind)


async def _is_self(user_id: str | None, entity_id: str) -> bool:
    return user_id is not None and user_id == entity_id


register_entity_kind("user", EntityPolicy(can_bind=_is_self, can_view=_is_self))
