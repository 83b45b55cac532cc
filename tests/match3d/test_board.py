"""Match3D boards, pure: dealing, covering, picking, clearing, the full tray, the search."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from resolvers.match3d import board
from resolvers.runs.errors import RunError

COUNTS = {"cup": 3, "key": 3, "bell": 6, "pear": 3}


def _item(board_item_id: str, layer: int, row: int, col: int) -> dict[str, Any]:
    return {
        "id": board_item_id,
        "itemId": board.kind_of(board_item_id),
        "layer": layer,
        "row": row,
        "col": col,
    }


def test_a_deal_lays_every_copy_once_and_the_same_seed_deals_the_same_board() -> None:
    # given a seed and an item set / when it is dealt twice
    first, second = board.deal(42, COUNTS, 3), board.deal(42, COUNTS, 3)
    # then every copy lies once, cells are distinct per layer, and the deals are equal
    assert first == second
    assert Counter(item["itemId"] for item in first["pile"]) == Counter(COUNTS)
    assert len({item["id"] for item in first["pile"]}) == 15
    cells = [(item["layer"], item["row"], item["col"]) for item in first["pile"]]
    assert len(set(cells)) == len(cells)
    assert all(
        0 <= item["row"] < first["side"] and 0 <= item["col"] < first["side"]
        for item in first["pile"]
    )
    assert first["tray"] == []
    # and another seed deals another board
    assert board.deal(43, COUNTS, 3)["pile"] != first["pile"]


@pytest.mark.parametrize("seed", range(25))
def test_every_dealt_board_can_be_won(seed: int) -> None:
    # given any seed / when a board is dealt / then the search clears it
    dealt = board.deal(seed, COUNTS, 3)
    picks = board.search(dealt, goal="win")
    assert picks is not None
    state: dict[str, Any] = dealt
    for picked in picks:
        state, _ = board.pick(state, picked)
    assert board.is_won(state)


def test_an_item_is_covered_while_a_higher_layer_shares_its_cell() -> None:
    # given a cup under a key, and a bell beside them
    pile = [_item("cup.0", 0, 0, 0), _item("key.0", 1, 0, 0), _item("bell.0", 0, 0, 1)]
    # then only the cup is covered
    assert board.covered_ids(pile) == {"cup.0"}
    # and picking it is ILLEGAL_MOVE, as is picking what is not on the pile
    state = {"side": 2, "layers": 2, "pile": pile, "tray": []}
    for absent in ("cup.0", "cup.1", "nothing"):
        with pytest.raises(RunError) as refused:
            board.pick(state, absent)
        assert refused.value.code == "ILLEGAL_MOVE"
    # and once the key is picked, the cup is free
    after, cleared = board.pick(state, "key.0")
    assert (after["tray"], cleared, board.covered_ids(after["pile"])) == (["key.0"], [], set())


def test_three_alike_clear_from_the_tray() -> None:
    # given two cups and a key in the tray, and a third cup on the pile
    state = {
        "side": 1,
        "layers": 1,
        "pile": [_item("cup.2", 0, 0, 0)],
        "tray": ["cup.0", "key.0", "cup.1"],
    }
    # when the third cup is picked
    after, cleared = board.pick(state, "cup.2")
    # then the three cups clear and the key stays
    assert (cleared, after["tray"], after["pile"]) == (["cup.0", "cup.1", "cup.2"], ["key.0"], [])
    assert not board.is_won(after) and not board.is_lost(after)


def test_a_seventh_item_without_a_triple_fills_the_tray() -> None:
    # given six items in the tray, two of each of three kinds
    tray = ["a.0", "a.1", "b.0", "b.1", "c.0", "c.1"]
    state = {"side": 1, "layers": 1, "pile": [_item("d.0", 0, 0, 0)], "tray": tray}
    # when a fourth kind is picked / then the tray is full: lost
    after, cleared = board.pick(state, "d.0")
    assert (cleared, len(after["tray"]), board.is_lost(after)) == ([], 7, True)


def test_the_search_finds_a_loss_and_a_win_is_an_empty_board() -> None:
    # given a dealt board / when the search looks for a full tray
    dealt = board.deal(7, COUNTS, 2)
    picks = board.search(dealt, goal="lose")
    # then its picks fill the tray with seven items
    assert picks is not None
    state: dict[str, Any] = dealt
    for picked in picks:
        state, _ = board.pick(state, picked)
    assert board.is_lost(state) and len(state["tray"]) == 7
    assert board.is_won({"pile": [], "tray": []})


@pytest.mark.parametrize(
    "action",
    [{"kind": "swap", "itemId": "cup.0"}, {"kind": "pick"}, {"kind": "pick", "itemId": 3}],
)
def test_an_action_that_is_not_a_pick_is_invalid(action: dict[str, Any]) -> None:
    with pytest.raises(RunError) as refused:
        board.checked_pick(action)
    assert refused.value.code == "ACTION_INVALID"
