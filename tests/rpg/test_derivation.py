"""The derivation of playable content from a world and a seed (resolvers/rpg/derivation.py)."""

from __future__ import annotations

from resolvers.rpg.derivation import derive
from resolvers.rpg.model import STARTING_AFFINITY
from resolvers.worlds.drafts import replace
from tests.factories.rpg import draft


def test_the_same_world_and_seed_give_the_same_content() -> None:
    # given a world / when derived twice with one seed, once with another
    first, again, other = (
        derive(draft(), "seed-1"),
        derive(draft(), "seed-1"),
        derive(draft(), "seed-2"),
    )
    # then the same seed gives equal content, and the content is the world's
    assert first == again
    assert first.as_json() == again.as_json()
    assert first.player_name == "Mira"
    assert [npc.npc_id for npc in first.npcs] == ["oren", "tal"]
    assert [place.place_id for place in first.places] == ["stacks", "pier"]
    assert [h.npc_id for h in first.hostiles] == ["hostile_stacks", "hostile_pier"]
    assert [(h.level, h.hp, h.attack, h.experience_reward) for h in first.hostiles] == [
        (1, 30, 5, 25),
        (2, 40, 7, 50),
    ]
    assert [e.encounter_id for e in first.encounters] == ["cache_stacks", "cache_pier"]
    assert [(q.quest_id, q.objective.kind) for q in first.quests] == [
        ("quest_oren", "defeat"),
        ("quest_tal", "collect"),
    ]
    assert [item.item_id for item in first.starting_items[:3]] == [
        "healing_draught",
        "weapon",
        "armor",
    ]
    # two gifts, each stacking 2, with different tags
    gifts = first.starting_items[3:]
    assert [(g.quantity, g.stackable) for g in gifts] == [(2, True), (2, True)]
    assert gifts[0].tags != gifts[1].tags
    # and a different seed changes the derived numbers somewhere
    assert first.as_json() != other.as_json()


def test_npcs_start_with_their_stance_affinity_facts_and_chapters() -> None:
    # given a world's content
    content = derive(draft(), "seed-1")
    oren = content.npc("oren")
    assert oren is not None
    # then its affinity is its stance's start plus 0..4, and it knows its world
    assert STARTING_AFFINITY[oren.stance] <= oren.affinity <= STARTING_AFFINITY[oren.stance] + 4
    assert oren.facts == [
        "Oren is Archivist.",
        "Keeps the index.",
        "Oren lives at The Sunken Stacks.",
    ]
    assert oren.backstory_chapter_ids == ["ch1", "ch2"]
    assert oren.help_item.equipment_slot_id == "accessory"
    assert len(oren.rumors) == 2


def test_a_changed_world_changes_the_content() -> None:
    # given the same seed on a world renamed
    renamed = replace(draft(), world_name="The Salt Vault")
    # then the content differs (the draft is part of the seed)
    assert derive(renamed, "seed-1").world_name == "The Salt Vault"
    assert derive(renamed, "seed-1").as_json() != derive(draft(), "seed-1").as_json()
