"""`node(id:)`: any object by global id, with bad ids reported as BAD_USER_INPUT."""

from __future__ import annotations

import inspect
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types.base import StrawberryObjectDefinition

from resolvers.errors import BadUserInput
from schema.context import Info


@strawberry.type
class NodeQuery:
    @strawberry.field(
        description="Any object by its global id; null when it does not exist or you may "
        "not see it."
    )
    async def node(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="A global id.")],
    ) -> relay.Node | None:
        try:
            global_id = relay.GlobalID.from_id(id)
        except Exception as error:
            raise BadUserInput("Not a global id.") from error
        definition = info.schema.get_type_by_name(global_id.type_name)
        if not isinstance(definition, StrawberryObjectDefinition) or not issubclass(
            definition.origin, relay.Node
        ):
            raise BadUserInput(f"No node type named {global_id.type_name!r}.")
        node_type: type[relay.Node] = definition.origin
        node = node_type.resolve_node(global_id.node_id, info=info, required=False)
        return await node if inspect.isawaitable(node) else node
