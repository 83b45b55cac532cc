"""The rules through the resolvers (no app, no worker: a story turn stays pending): NPC
affinity and reveals, help once, stacking up to the limit, equipping over an equipped item,
TURN_IN_PROGRESS, and 10 concurrent uses of the last item (exactly one wins)."""

from __future__ import annotations

import asyncio

import pytest

from db.transactions import write_transaction
from resolvers import clock
from resolvers.rpg import actions, inventory
from resolvers.rpg.model import (
    CHAT_AFFINITY,
    CHAT_AFFINITY_CHATS,
    GIFT_AFFINITY,
    HELP_AFFINITY_COST,
    LIKED_GIFT_AFFINITY,
    STACK_LIMIT,
    InventoryAction,
    NpcAction,
)
from resolvers.rpg.records import ItemSpec
from resolvers.rpg.rows import NpcStateRow
from resolvers.rpg.state import StoryView
from resolvers.runs.errors import RunError, RunErrorCode
from tests.factories import rpg
from tests.factories.auth import make_user
from tests.factories.runs import every_table


def _npc(view: StoryView, npc_id: str) -> NpcStateRow:
    return next(n for n in view.npcs if n.npc_id == npc_id)


async def test_chats_gifts_and_help_follow_the_affinity_rules() -> None:
    # given a TEST session on a world with two NPCs
    player = await make_user()
    view = await rpg.draft_session(player)
    sid = view.session.story_session_id
    oren = _npc(view, "oren")
    start = int(oren.affinity)
    version = 0

    async def npc(action: NpcAction, slot_id: str | None = None) -> StoryView:
        nonlocal version
        done = await actions.npc_interact(
            viewer=player.principal,
            story_session_id=sid,
            npc_id="oren",
            action=action,
            slot_id=slot_id,
            expected_version=version,
        )
        version += 1
        return done

    # when the player chats seven times
    for _ in range(7):
        view = await npc(NpcAction.CHAT)
    oren = _npc(view, "oren")
    # then only the first five chats counted, facts and chapters were revealed once each
    assert oren.affinity == start + CHAT_AFFINITY * CHAT_AFFINITY_CHATS
    assert oren.chatted_count == 7
    assert oren.revealed_facts == [
        "Oren is Archivist.",
        "Keeps the index.",
        "Oren lives at The Sunken Stacks.",
    ]
    assert oren.seen_backstory_chapter_ids == ["ch1", "ch2"]
    assert oren.first_meaningful_contact_resolved is True
    # when it gives both gift kinds: liked ones count more, each consumes one unit
    likes = oren.stance_profile["likes"]
    affinity = int(oren.affinity)
    for gift in [s for s in view.inventory if s.category == "gift"]:
        view = await npc(NpcAction.GIFT, gift.slot_id)
        affinity += LIKED_GIFT_AFFINITY if likes in gift.tags else GIFT_AFFINITY
        left = [s.quantity for s in view.inventory if s.slot_id == gift.slot_id]
        assert left == [1]
    oren = _npc(view, "oren")
    assert (oren.affinity, oren.gifts_given) == (affinity, 2)
    assert len(oren.known_attribute_rumors) == 2
    # when it asks for help: the charm enters the backpack, once
    view = await npc(NpcAction.HELP)
    charm = [s for s in view.inventory if s.item_id == "charm_oren"]
    assert [(s.slot_key, s.source_kind, s.source_reference_id) for s in charm] == [
        ("charm_oren#1", "npc_help", "oren")
    ]
    assert _npc(view, "oren").affinity == affinity - HELP_AFFINITY_COST
    before = await every_table()
    with pytest.raises(RunError) as twice:
        await npc(NpcAction.HELP)
    assert twice.value.code is RunErrorCode.ILLEGAL_MOVE
    assert await every_table() == before


async def test_items_stack_to_the_limit_and_equipping_swaps() -> None:
    # given a session with 3 healing draughts in one slot
    player = await make_user()
    view = await rpg.draft_session(player)
    now = clock.now()
    # when 30 more arrive
    draught = ItemSpec.model_validate(
        {
            "itemId": "healing_draught",
            "category": "consumable",
            "name": "Healing draught",
            "quantity": 30,
            "stackable": True,
            "stackKey": "healing_draught",
        }
    )
    async with write_transaction():
        await inventory.add_items(
            view.session, [draught], source_kind="exploration", source_reference_id=None, now=now
        )
    view = await actions.story_session(
        viewer=player.principal, story_session_id=view.session.story_session_id
    )
    # then the first slot fills to 20 and a second holds the rest
    stacks = [(s.slot_key, s.quantity) for s in view.inventory if s.item_id == draught.item_id]
    assert stacks == [("healing_draught#1", STACK_LIMIT), ("healing_draught#2", 13)]
    # when a second weapon arrives and both are equipped in turn
    second = ItemSpec.model_validate(
        {
            "itemId": "weapon_2",
            "category": "equipment",
            "name": "Spear",
            "quantity": 1,
            "stackKey": "weapon_2",
            "equipmentSlotId": "weapon",
        }
    )
    async with write_transaction():
        await inventory.add_items(
            view.session, [second], source_kind="exploration", source_reference_id=None, now=now
        )
    sid = view.session.story_session_id
    for version, item_id in enumerate(("weapon", "weapon_2")):
        view = await actions.story_session(viewer=player.principal, story_session_id=sid)
        slot = next(s for s in view.inventory if s.item_id == item_id)
        view = await actions.inventory_act(
            viewer=player.principal,
            story_session_id=sid,
            slot_id=slot.slot_id,
            action=InventoryAction.EQUIP,
            expected_version=version,
        )
    # then the spear is equipped and the first weapon went back to the backpack
    placed = sorted(
        (s.item_id, s.container_kind, s.slot_key)
        for s in view.inventory
        if s.item_id in ("weapon", "weapon_2")
    )
    assert placed == [("weapon", "backpack", "weapon#1"), ("weapon_2", "equipment", "weapon")]
    # and unequipping brings it back to the backpack
    worn = next(s for s in view.inventory if s.container_kind == "equipment")
    view = await actions.inventory_act(
        viewer=player.principal,
        story_session_id=sid,
        slot_id=worn.slot_id,
        action=InventoryAction.UNEQUIP,
        expected_version=2,
    )
    assert [s for s in view.inventory if s.container_kind == "equipment"] == []


async def test_a_second_turn_while_one_is_pending_is_turn_in_progress() -> None:
    # given a session whose story turn waits for its AI task (no worker runs here)
    player = await make_user()
    view = await rpg.draft_session(player)
    sid = view.session.story_session_id
    view = await actions.story_continue(
        viewer=player.principal,
        story_session_id=sid,
        choice_function_id="rest",
        text=None,
        expected_version=0,
    )
    assert (view.session.status, view.session.version) == ("narrating", 1)
    assert view.session.pending_task_id is not None
    before = await every_table()
    # when another turn and an NPC chat arrive on the current version
    refusals = []
    for attempt in (
        actions.story_continue(
            viewer=player.principal,
            story_session_id=sid,
            choice_function_id=None,
            text="again",
            expected_version=1,
        ),
        actions.npc_interact(
            viewer=player.principal,
            story_session_id=sid,
            npc_id="oren",
            action=NpcAction.CHAT,
            slot_id=None,
            expected_version=1,
        ),
    ):
        with pytest.raises(RunError) as refused:
            await attempt
        refusals.append(refused.value.code)
    # then both are TURN_IN_PROGRESS and nothing was written
    assert refusals == [RunErrorCode.TURN_IN_PROGRESS, RunErrorCode.TURN_IN_PROGRESS]
    assert await every_table() == before


async def test_ten_concurrent_uses_of_the_last_item_let_exactly_one_win() -> None:
    # given a session with one healing draught left (two of three used)
    player = await make_user()
    view = await rpg.draft_session(player)
    sid = view.session.story_session_id
    slot_id = next(s.slot_id for s in view.inventory if s.item_id == "healing_draught")

    async def use(version: int) -> StoryView:
        return await actions.inventory_act(
            viewer=player.principal,
            story_session_id=sid,
            slot_id=slot_id,
            action=InventoryAction.USE,
            expected_version=version,
        )

    await use(0)
    await use(1)
    # when 10 requests use it at once
    answers = await asyncio.gather(*(use(2) for _ in range(10)), return_exceptions=True)
    # then exactly one used it; the others were refused, and the slot is gone
    won = [a for a in answers if isinstance(a, StoryView)]
    refused = [a for a in answers if isinstance(a, RunError)]
    assert (len(won), len(refused)) == (1, 9)
    assert {(e.code, e.current_version) for e in refused} == {(RunErrorCode.SNAPSHOT_STALE, 3)}
    final = await actions.story_session(viewer=player.principal, story_session_id=sid)
    assert [s for s in final.inventory if s.slot_id == slot_id] == []
    assert final.session.version == 3
    # and using it again is ILLEGAL_MOVE with nothing written
    before = await every_table()
    with pytest.raises(RunError) as gone:
        await use(3)
    assert gone.value.code is RunErrorCode.ILLEGAL_MOVE
    assert await every_table() == before


async def _complete(player: object, sid: str, version: int, function_id: str) -> StoryView:
    """A story turn on `function_id`, its task answered as a model would (no worker here)."""
    from db.tables.ai_tasks import AiTask

    principal = player.principal  # type: ignore[attr-defined]
    queued = await actions.story_continue(
        viewer=principal,
        story_session_id=sid,
        choice_function_id=function_id,
        text=None,
        expected_version=version,
    )
    await AiTask.update(
        {AiTask.status: "completed", AiTask.latest_text_output: "On it goes."}
    ).where(AiTask.task_id == queued.session.pending_task_id)
    return await actions.story_session(viewer=principal, story_session_id=sid)


async def test_every_choice_function_applies_its_rule_once() -> None:
    # given a TEST session: offered explore:stacks, meet:oren, chapter:ch1, rest
    player = await make_user()
    view = await rpg.draft_session(player)
    sid = view.session.story_session_id
    # when the player explores, meets, enters the first chapter and rests
    view = await _complete(player, sid, 0, "explore:stacks")
    finds = [(s.item_id, s.source_kind, s.source_reference_id) for s in view.inventory]
    assert ("find_stacks", "exploration", "stacks") in finds
    assert [c["functionId"] for c in view.session.offered_choices_json] == [
        "explore:pier",
        "meet:oren",
        "chapter:ch1",
        "rest",
    ]
    view = await _complete(player, sid, 2, "meet:oren")
    assert _npc(view, "oren").revealed_facts == ["Oren is Archivist."]
    view = await _complete(player, sid, 4, "chapter:ch1")
    # then the chapter is seen by its cast only (Oren, not Tal), and the next is offered
    assert (
        _npc(view, "oren").seen_backstory_chapter_ids,
        _npc(view, "tal").seen_backstory_chapter_ids,
    ) == (["ch1"], [])
    assert [c["functionId"] for c in view.session.offered_choices_json] == [
        "explore:pier",
        "meet:tal",
        "chapter:ch2",
        "rest",
    ]
    before_rest = (view.npcs, view.inventory)
    view = await _complete(player, sid, 6, "rest")
    assert (view.npcs, view.inventory) == before_rest
    assert [(e.turn_index, e.event_kind, e.choice_function_id) for e in view.events] == [
        (0, "opening", None),
        (1, "choice", "explore:stacks"),
        (2, "choice", "meet:oren"),
        (3, "choice", "chapter:ch1"),
        (4, "choice", "rest"),
    ]
    assert view.session.progress_json == {
        "exploredPlaceIds": ["stacks"],
        "metNpcIds": ["oren"],
        "chapterIndex": 1,
    }
