"""The play-type contract's generated slots: every registered play type offers its cover,
and only entity kinds it owns."""

from __future__ import annotations

import pytest

from resolvers.play_types.contract import GeneratedSlot, PlayTypePlugin
from resolvers.play_types.registry import PLUGINS, generated_slots


@pytest.mark.parametrize("plugin", PLUGINS, ids=lambda plugin: plugin.play_type.value)
def test_every_play_type_offers_its_cover_on_entity_kinds_it_owns(plugin: PlayTypePlugin) -> None:
    slots = plugin.generated_slots()
    assert GeneratedSlot(plugin.cover_entity_kind, "cover") in slots
    assert {slot.entity_kind for slot in slots} <= set(plugin.entity_policies())
    width, height = plugin.cover_size
    assert 64 <= width <= 1024 and 64 <= height <= 1024


def test_the_registry_lists_every_plugin_s_slots() -> None:
    listed = generated_slots()
    for plugin in PLUGINS:
        assert {(slot.entity_kind, slot.slot) for slot in plugin.generated_slots()} <= set(listed)
    assert {("puzzle_level", "image"), ("custom_world_card", "image")} <= set(listed)
    assert all(slot.public for slot in listed.values())
