"""Assets queries: one object, an entity's bindings."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.assets.entities import policy_for
from resolvers.assets.objects import visible_object
from resolvers.assets.queries import bindings_of
from resolvers.errors import BadUserInput, NotFound
from schema.assets.entities import ENTITY_ID, entity_object_id
from schema.assets.types import AssetBinding, AssetObject
from schema.context import Info
from schema.ids import object_id


@strawberry.type
class AssetQuery:
    @strawberry.field(
        description="An asset object: public ones for anyone, private ones for their owner; "
        "NOT_FOUND otherwise."
    )
    async def asset_object(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The object's global `id` (or its raw id)."),
        ],
    ) -> AssetObject:
        row = await visible_object(
            viewer=info.context.principal, asset_object_id=object_id(id, AssetObject)
        )
        return AssetObject.from_row(row)

    @strawberry.field(
        description="The slots of an entity you may see, with their objects' ids, by slot."
    )
    async def asset_bindings(
        self,
        info: Info,
        entity_kind: Annotated[str, strawberry.argument(description="The entity's kind.")],
        entity_id: Annotated[str, strawberry.argument(description=ENTITY_ID)],
    ) -> list[AssetBinding]:
        policy = policy_for(entity_kind)
        if policy is None:
            raise BadUserInput(f"Unknown entity kind {entity_kind!r}.")
        entity_id = entity_object_id(entity_kind, entity_id)
        if not await policy.can_view(info.context.principal.user_id, entity_id):
            raise NotFound("No such entity.")
        return [
            AssetBinding.from_row(row)
            for row in await bindings_of(entity_kind=entity_kind, entity_id=entity_id)
        ]
