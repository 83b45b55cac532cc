"""Asset subscriptions: my asset events, and the events of one entity I may see.

Same guarantees as every stream subscription (schema/streaming.py): replay after `after`,
then live, each sequence once and in order; 4401 on revocation, 4008 when falling behind.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import strawberry

from resolvers.assets.entities import policy_for
from resolvers.assets.objects import entity_stream, user_stream
from resolvers.assets.queries import events_by_ids
from resolvers.assets.rows import AssetEventRow
from resolvers.errors import BadUserInput, NotFound
from schema.assets.entities import ENTITY_ID, entity_object_id
from schema.assets.types import AssetEvent
from schema.context import Info
from schema.permissions import IsAuthenticated
from schema.streaming import check_cursor, deliver

AFTER = (
    "Deliver events with a sequence above this one (0: the whole history); null (default): "
    "only new events."
)


@strawberry.type
class AssetSubscription:
    @strawberry.subscription(
        description="Your asset events (CONFIRMED, BOUND) after `after`, then live ones.",
        permission_classes=[IsAuthenticated],
    )
    async def asset_events(
        self,
        info: Info,
        after: Annotated[int | None, strawberry.argument(description=AFTER)] = None,
    ) -> AsyncIterator[AssetEvent]:
        stream_key = user_stream(info.context.principal.require_user())
        await check_cursor(stream_key, after)
        return deliver(info.context, stream_key, after, load_rows=events_by_ids, convert=_convert)

    @strawberry.subscription(
        description="BOUND events of one entity you may see (its slots changing), after "
        "`after`, then live ones. NOT_FOUND for an entity you may not see.",
        permission_classes=[IsAuthenticated],
    )
    async def asset_entity_events(
        self,
        info: Info,
        entity_kind: Annotated[str, strawberry.argument(description="The entity's kind.")],
        entity_id: Annotated[str, strawberry.argument(description=ENTITY_ID)],
        after: Annotated[int | None, strawberry.argument(description=AFTER)] = None,
    ) -> AsyncIterator[AssetEvent]:
        policy = policy_for(entity_kind)
        if policy is None:
            raise BadUserInput(f"Unknown entity kind {entity_kind!r}.")
        entity_id = entity_object_id(entity_kind, entity_id)
        if not await policy.can_view(info.context.principal.user_id, entity_id):
            raise NotFound("No such entity.")
        stream_key = entity_stream(entity_kind, entity_id)
        await check_cursor(stream_key, after)
        return deliver(info.context, stream_key, after, load_rows=events_by_ids, convert=_convert)


def _convert(row: AssetEventRow, sequence: int) -> AssetEvent:
    return AssetEvent.from_row(sequence, row)
