"""The battle's damage model (docs/rpg.md, "Damage model"): deterministic, seeded per battle.

Each turn draws from `random.Random(int(sha256("<session seed>:<battleId>:<turnIndex>")))`:
the same battle and turn always roll the same numbers, another battle rolls others.
- ATTACK deals `ATTACK_BASE` (8) + roll 0..3.
- SKILL costs `SKILL_MANA` (10) mana and deals twice an attack (refused without the mana).
- ITEM (a consumable the player has) heals `ITEM_HEAL` (25) hp, up to max hp; deals 0.
- FLEE ends the battle (`fled`); nothing is dealt or taken.
Then, while the hostile stands, it strikes: its derived attack (3 + 2 × level) + roll 0..2.
Target at 0 hp: `won` (victory, the hostile does not strike). Player at 0 hp: `lost`
(defeat), left at 1 hp.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from resolvers.rpg.model import (
    ATTACK_BASE,
    ITEM_HEAL,
    SKILL_MANA,
    SKILL_MULTIPLIER,
    TARGET_ROLL,
    BattleAction,
    BattleStatus,
    CombatOutcome,
)


@dataclass(frozen=True, slots=True)
class Turn:
    """What one turn does (`refusal` set: nothing may be written)."""

    status: BattleStatus
    outcome: CombatOutcome
    player_hp: int
    player_mana: int
    target_hp: int
    dealt: int
    taken: int
    action_text: str
    result_text: str
    refusal: str | None = None


def turn_rng(seed: str, battle_id: str, turn_index: int) -> random.Random:
    digest = hashlib.sha256(f"{seed}:{battle_id}:{turn_index}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def turn(
    seed: str,
    battle: Mapping[str, Any],
    action: BattleAction,
    item_name: str | None,
    target_attack: int,
) -> Turn:
    """One turn of `battle` (its row before); `target_attack`: the hostile's derived attack."""
    rng = turn_rng(seed, battle["battle_state_id"], int(battle["turn_index"]))
    player_hp, mana = int(battle["player_hp"]), int(battle["player_mana"])
    target_hp, name = int(battle["target_hp"]), battle["target_name"]
    dealt = 0
    if action is BattleAction.FLEE:
        return Turn(
            BattleStatus.FLED,
            CombatOutcome.FLED,
            player_hp,
            mana,
            target_hp,
            0,
            0,
            "You flee.",
            f"You escape {name}.",
        )
    if action is BattleAction.ATTACK:
        dealt = ATTACK_BASE + rng.randint(0, 3)
        text = f"You strike {name}."
    elif action is BattleAction.SKILL:
        if mana < SKILL_MANA:
            return Turn(
                BattleStatus.ACTIVE,
                CombatOutcome.ONGOING,
                player_hp,
                mana,
                target_hp,
                0,
                0,
                "",
                "",
                refusal=f"Not enough mana ({mana} < {SKILL_MANA}).",
            )
        mana -= SKILL_MANA
        dealt = SKILL_MULTIPLIER * (ATTACK_BASE + rng.randint(0, 3))
        text = f"You unleash a skill on {name}."
    else:
        player_hp = min(int(battle["player_max_hp"]), player_hp + ITEM_HEAL)
        text = f"You use {item_name}."
    target_hp = max(0, target_hp - dealt)
    if target_hp == 0:
        return Turn(
            BattleStatus.WON,
            CombatOutcome.VICTORY,
            player_hp,
            mana,
            0,
            dealt,
            0,
            text,
            f"{name} is defeated.",
        )
    taken = target_attack + rng.randint(0, TARGET_ROLL)
    player_hp -= taken
    if player_hp <= 0:
        return Turn(
            BattleStatus.LOST,
            CombatOutcome.DEFEAT,
            1,
            mana,
            target_hp,
            dealt,
            taken,
            text,
            f"{name} defeats you; you barely survive.",
        )
    return Turn(
        BattleStatus.ACTIVE,
        CombatOutcome.ONGOING,
        player_hp,
        mana,
        target_hp,
        dealt,
        taken,
        text,
        f"You deal {dealt}, {name} deals {taken}.",
    )
