"""Entity ids as asset arguments take them: raw, or the global id of the entity's node.

An entity kind whose entities are objects of the graph names their type here; its
`entityId` then also accepts their global id (schema/ids.py). Kinds not listed (a puzzle
level, a world's card) have no node: their ids are raw.
"""

from __future__ import annotations

from schema.ids import object_id

# entity kind → GraphQL type of its entities (names, not classes: the play types' schema
# modules import the assets types). tests/surface/test_ids.py checks they are node types.
ENTITY_NODE_TYPES: dict[str, str] = {
    "user": "User",
    "puzzle_work": "PuzzleWork",
    "custom_world": "CustomWorldWork",
}

ENTITY_ID = (
    "The entity's id, or its global id when it is a node: `user` takes `Viewer.id` or a "
    "`User.id`, `puzzle_work` and `custom_world` a work's `id`."
)


def entity_object_id(entity_kind: str, entity_id: str) -> str:
    """The raw entity id named by `entity_id` for an entity of `entity_kind`."""
    node_type = ENTITY_NODE_TYPES.get(entity_kind)
    return object_id(entity_id, *([node_type] if node_type is not None else []))
