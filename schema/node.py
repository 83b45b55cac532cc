"""`node(id:)`: any object by global id, with bad ids reported as BAD_USER_INPUT."""

from __future__ import annotations

import inspect
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.types.base import StrawberryObjectDefinition

from resolvers.errors import BadUserInput
from schema.context import Info
from schema.ids import decode_global_id


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
        decoded = decode_global_id(id)
        if decoded is None:
            raise BadUserInput("Not a global id.")
        type_name, node_id = decoded
        definition = info.schema.get_type_by_name(type_name)
        # Only object types resolve nodes: an interface (`Node`, `Work`) names no object,
        # and relay's default `resolve_nodes` raises NotImplementedError on it.
        if (
            not isinstance(definition, StrawberryObjectDefinition)
            or definition.is_interface
            or not issubclass(definition.origin, relay.Node)
        ):
            raise BadUserInput(f"No node type named {type_name!r}.")
        node_type: type[relay.Node] = definition.origin
        node = node_type.resolve_node(node_id, info=info, required=False)
        return await node if inspect.isawaitable(node) else node
