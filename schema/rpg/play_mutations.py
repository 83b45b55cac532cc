"""`battleStart`, `battleAct`, `treasureInteract`, `questAccept` and `questTurnIn`.

Convert the input, call resolvers/rpg/play_actions.py, convert the result. Refusals go
through `DomainErrorPayload` (errors with `RpgErrorCode`, `currentSnapshotVersion`);
another user's session or battle is a top-level NOT_FOUND; nothing is written on a refusal.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.rpg import play_actions
from resolvers.rpg.model import BattleAction, TreasureInteractionAction
from resolvers.rpg.state import StoryView
from schema.context import Info
from schema.mutation_errors import DomainErrorPayload
from schema.permissions import IsAuthenticated
from schema.rpg.play_types import RpgErrorType
from schema.rpg.types import StorySessionType

VERSION = "The session's `version` this action was made on (every action bumps it)."


BATTLE_START_INPUT = "The session, the hostile NPC to fight and the session version you last saw."
BATTLE_ACT_INPUT = (
    "The battle, the action (an item id for ITEM) and the session version you last saw."
)
TREASURE_INPUT = "The session, the encounter, the action and the session version you last saw."
QUEST_ACCEPT_INPUT = "The session, the NPC offering the quest and the session version you last saw."
QUEST_TURN_IN_INPUT = "The session, the quest and the session version you last saw."


@strawberry.input(description="Start a battle against a hostile NPC of your session.")
class BattleStartInput:
    story_session_id: strawberry.ID = strawberry.field(description="Your story session.")
    target_npc_id: str = strawberry.field(description="A hostile (`hostile_<placeId>`).")
    expected_version: int = strawberry.field(description=VERSION)


@strawberry.input(description="One turn of one of your battles.")
class BattleActInput:
    battle_id: strawberry.ID = strawberry.field(description="The battle.")
    action: BattleAction = strawberry.field(description="ATTACK, SKILL, ITEM or FLEE.")
    item_id: str | None = strawberry.field(
        default=None, description="ITEM: the item id of a consumable in your backpack."
    )
    expected_version: int = strawberry.field(description=VERSION)


@strawberry.input(description="Open, inspect or leave a treasure encounter.")
class TreasureInteractInput:
    story_session_id: strawberry.ID = strawberry.field(description="Your story session.")
    encounter_id: str = strawberry.field(description="An encounter (`cache_<placeId>`).")
    action: TreasureInteractionAction = strawberry.field(description="OPEN, INSPECT, LEAVE.")
    expected_version: int = strawberry.field(description=VERSION)


@strawberry.input(description="Accept the quest an NPC offers.")
class QuestAcceptInput:
    story_session_id: strawberry.ID = strawberry.field(description="Your story session.")
    npc_id: str = strawberry.field(description="The NPC giving the quest.")
    expected_version: int = strawberry.field(description=VERSION)


@strawberry.input(description="Turn in a completed quest for its reward.")
class QuestTurnInInput:
    story_session_id: strawberry.ID = strawberry.field(description="Your story session.")
    quest_key: str = strawberry.field(description="The quest (`quest_<npcId>`).")
    expected_version: int = strawberry.field(description=VERSION)


@strawberry.type(description="What a battle, treasure or quest action did.")
class StoryPlayPayload:
    errors: list[RpgErrorType] = strawberry.field(
        description="Empty on success; otherwise why nothing was written: SNAPSHOT_STALE, "
        "BATTLE_FINISHED, BATTLE_IN_PROGRESS, TREASURE_ALREADY_OPENED, "
        "QUEST_ALREADY_ACCEPTED, QUEST_NOT_ACCEPTED, QUEST_NOT_COMPLETED, "
        "QUEST_ALREADY_TURNED_IN, ILLEGAL_MOVE, ACTION_INVALID, TURN_IN_PROGRESS, RUN_FINISHED."
    )
    story_session: StorySessionType | None = strawberry.field(
        description="The session after the action; null when refused."
    )
    current_snapshot_version: int | None = strawberry.field(
        default=None, description="On SNAPSHOT_STALE or RUN_FINISHED: the current version."
    )


def _payload(view: StoryView) -> StoryPlayPayload:
    return StoryPlayPayload(errors=[], story_session=StorySessionType.from_view(view))


@strawberry.type
class RpgPlayMutation:
    @strawberry.mutation(
        description="Start a battle against one of your session's hostile NPCs (one active "
        "battle at a time).",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def battle_start(
        self,
        info: Info,
        input: Annotated[BattleStartInput, strawberry.argument(description=BATTLE_START_INPUT)],
    ) -> StoryPlayPayload:
        view = await play_actions.battle_start(
            viewer=info.context.principal,
            story_session_id=str(input.story_session_id),
            target_npc_id=input.target_npc_id,
            expected_version=input.expected_version,
        )
        return _payload(view)

    @strawberry.mutation(
        description="One turn of your battle (deterministic damage, docs/rpg.md). Victory "
        "grants the XP and the reward items; defeat leaves you at 1 hp; a finished battle is "
        "BATTLE_FINISHED.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def battle_act(
        self,
        info: Info,
        input: Annotated[BattleActInput, strawberry.argument(description=BATTLE_ACT_INPUT)],
    ) -> StoryPlayPayload:
        view = await play_actions.battle_act(
            viewer=info.context.principal,
            battle_id=str(input.battle_id),
            action=input.action,
            item_id=input.item_id,
            expected_version=input.expected_version,
        )
        return _payload(view)

    @strawberry.mutation(
        description="Open (once per encounter), inspect or leave a treasure encounter.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def treasure_interact(
        self,
        info: Info,
        input: Annotated[TreasureInteractInput, strawberry.argument(description=TREASURE_INPUT)],
    ) -> StoryPlayPayload:
        view = await play_actions.treasure_interact(
            viewer=info.context.principal,
            story_session_id=str(input.story_session_id),
            encounter_id=input.encounter_id,
            action=input.action,
            expected_version=input.expected_version,
        )
        return _payload(view)

    @strawberry.mutation(
        description="Accept the quest an NPC offers (once per session).",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def quest_accept(
        self,
        info: Info,
        input: Annotated[QuestAcceptInput, strawberry.argument(description=QUEST_ACCEPT_INPUT)],
    ) -> StoryPlayPayload:
        view = await play_actions.quest_accept(
            viewer=info.context.principal,
            story_session_id=str(input.story_session_id),
            npc_id=input.npc_id,
            expected_version=input.expected_version,
        )
        return _payload(view)

    @strawberry.mutation(
        description="Turn in a completed quest: its items and XP (QUEST_NOT_COMPLETED before).",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def quest_turn_in(
        self,
        info: Info,
        input: Annotated[QuestTurnInInput, strawberry.argument(description=QUEST_TURN_IN_INPUT)],
    ) -> StoryPlayPayload:
        view = await play_actions.quest_turn_in(
            viewer=info.context.principal,
            story_session_id=str(input.story_session_id),
            quest_key=input.quest_key,
            expected_version=input.expected_version,
        )
        return _payload(view)
