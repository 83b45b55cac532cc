"""The registered play types: one explicit list, read by the schema, the worker, scripts.

Nothing registers itself by being imported: the creation framework, the asset entity
policies and the AI-task finish listeners look their play types up here. Adding a play
type is one line in `PLUGINS` (and its schema types, schema/play_types.py).
"""

from __future__ import annotations

from functools import cache

from resolvers.ai_tasks.finish_listeners import FinishListener
from resolvers.ai_tasks.model import AiTaskKind
from resolvers.assets.entities import EntityPolicy
from resolvers.big_fish.plugin import BIG_FISH
from resolvers.creation import turns
from resolvers.gallery.play_types import PlayType
from resolvers.match3d.plugin import MATCH3D
from resolvers.play_types.contract import GeneratedSlot, PlayTypePlugin
from resolvers.puzzle.plugin import PUZZLE
from resolvers.rpg import narration as story_narration
from resolvers.square_hole.plugin import SQUARE_HOLE
from resolvers.visual_novel import narration
from resolvers.visual_novel.plugin import VISUAL_NOVEL
from resolvers.worlds.plugin import CUSTOM_WORLD

PLUGINS: tuple[PlayTypePlugin, ...] = (
    CUSTOM_WORLD,
    PUZZLE,
    MATCH3D,
    SQUARE_HOLE,
    VISUAL_NOVEL,
    BIG_FISH,
)

# What runs when an AI task of a kind finishes (resolvers/ai_tasks/finish_listeners.py).
FINISH_LISTENERS: dict[AiTaskKind, tuple[FinishListener, ...]] = {
    AiTaskKind.CREATION_AGENT_REPLY: (turns.on_task_finished,),
    # A visual novel's text turn (source_module `visual_novel`), a story turn (`rpg`).
    AiTaskKind.STORY_CONTINUATION: (narration.on_task_finished, story_narration.on_task_finished),
}


@cache
def _by_play_type() -> dict[PlayType, PlayTypePlugin]:
    found: dict[PlayType, PlayTypePlugin] = {}
    for plugin in PLUGINS:
        if plugin.play_type in found:
            raise ValueError(f"two plugins for {plugin.play_type}")
        found[plugin.play_type] = plugin
    return found


def plugin_for(play_type: PlayType | str) -> PlayTypePlugin | None:
    """The plugin of a play type, or None for a play type not built yet."""
    try:
        return _by_play_type().get(PlayType(play_type))
    except ValueError:
        return None


def registered_play_types() -> list[PlayType]:
    return sorted(_by_play_type())


@cache
def generated_slots() -> dict[tuple[str, str], GeneratedSlot]:
    """Every plugin's slots that `imageGenerate` may fill, by (entity kind, slot)."""
    return {
        (slot.entity_kind, slot.slot): slot
        for plugin in PLUGINS
        for slot in plugin.generated_slots()
    }


def generated_slot_for(entity_kind: str, slot: str) -> GeneratedSlot | None:
    """The rule `imageGenerate` follows for a slot of an entity kind: the exact slot, or
    the family (a slot ending in `:`) it belongs to; None when no play type offers it."""
    rules = generated_slots()
    exact = rules.get((entity_kind, slot))
    if exact is not None and exact.covers(slot):
        return exact
    return next(
        (rule for (kind, _), rule in rules.items() if kind == entity_kind and rule.covers(slot)),
        None,
    )


@cache
def entity_policies() -> dict[str, EntityPolicy]:
    """Every plugin's asset entity kinds (a kind belongs to one play type)."""
    found: dict[str, EntityPolicy] = {}
    for plugin in PLUGINS:
        for kind, policy in plugin.entity_policies().items():
            if kind in found:
                raise ValueError(f"entity kind {kind!r} registered twice")
            found[kind] = policy
    return found
