"""`storyContinue`, `storyNpcInteract` and `storyInventoryAct`.

Convert the input, call resolvers/rpg/actions.py, convert the result. Refusals go through
`DomainErrorPayload` (errors, `currentSnapshotVersion`); another user's session is a
top-level NOT_FOUND; nothing is written on a refusal.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.rpg import actions
from resolvers.rpg.model import MAX_TEXT_LENGTH, InventoryAction, NpcAction
from resolvers.rpg.state import StoryView
from schema.context import Info
from schema.mutation_errors import DomainErrorPayload
from schema.permissions import IsAuthenticated
from schema.rpg.types import StorySessionType
from schema.runs.types import RunErrorType

VERSION = "The session's `version` this action was made on."


@strawberry.input(description="The next story turn: one offered move, or typed text.")
class StoryContinueInput:
    story_session_id: strawberry.ID = strawberry.field(description="Your story session.")
    choice_function_id: str | None = strawberry.field(
        default=None, description="One of `offeredChoices` (its rules apply at completion)."
    )
    text: str | None = strawberry.field(
        default=None,
        description=f"What you do, 1 to {MAX_TEXT_LENGTH} characters: narrative only, it "
        "never changes items, characters or progress.",
    )
    expected_version: int = strawberry.field(description=VERSION)


@strawberry.input(description="An interaction with a character of the world.")
class StoryNpcInteractInput:
    story_session_id: strawberry.ID = strawberry.field(description="Your story session.")
    npc_id: str = strawberry.field(description="The character's `npcId`.")
    action: NpcAction = strawberry.field(description="CHAT, GIFT, HELP or RECRUIT.")
    slot_id: strawberry.ID | None = strawberry.field(
        default=None, description="GIFT: the backpack slot of the item given (one unit)."
    )
    expected_version: int = strawberry.field(description=VERSION)


@strawberry.input(description="Equip, unequip or use an item.")
class StoryInventoryActInput:
    story_session_id: strawberry.ID = strawberry.field(description="Your story session.")
    slot_id: strawberry.ID = strawberry.field(description="The slot acted on.")
    action: InventoryAction = strawberry.field(description="EQUIP, UNEQUIP or USE.")
    expected_version: int = strawberry.field(description=VERSION)


@strawberry.type(description="What a story-session action did.")
class StorySessionPayload:
    errors: list[RunErrorType] = strawberry.field(
        description="Empty on success; otherwise why nothing was written: SNAPSHOT_STALE "
        "(see `currentSnapshotVersion`), TURN_IN_PROGRESS, ILLEGAL_MOVE (a move not offered, "
        "an item you do not have, affinity below a threshold, help asked twice), "
        "ACTION_INVALID, RUN_FINISHED."
    )
    story_session: StorySessionType | None = strawberry.field(
        description="The session after the action; null when refused."
    )
    current_snapshot_version: int | None = strawberry.field(
        default=None,
        description="On SNAPSHOT_STALE or RUN_FINISHED: the session's current version.",
    )


def _payload(view: StoryView) -> StorySessionPayload:
    return StorySessionPayload(errors=[], story_session=StorySessionType.from_view(view))


@strawberry.type
class RpgMutation:
    @strawberry.mutation(
        description="Continue your story: an offered choice function (its server rules "
        "apply when the turn completes) or typed text (narrative only). An AI task writes "
        "the narrative (`storySession.pendingTaskId`, streamed on `aiTaskEvents`); its "
        "completion writes a story event, bumps `version` and offers the next moves. A second "
        "turn while one is pending is TURN_IN_PROGRESS.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def story_continue(
        self,
        info: Info,
        input: Annotated[StoryContinueInput, strawberry.argument(description="The action.")],
    ) -> StorySessionPayload:
        view = await actions.story_continue(
            viewer=info.context.principal,
            story_session_id=str(input.story_session_id),
            choice_function_id=input.choice_function_id,
            text=input.text,
            expected_version=input.expected_version,
        )
        return _payload(view)

    @strawberry.mutation(
        description="Chat with, give a gift to, ask help of or recruit a character "
        "(docs/rpg.md: affinity rules; help once, with affinity >= 15; recruit with affinity "
        ">= 50). A refused interaction is ILLEGAL_MOVE.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def story_npc_interact(
        self,
        info: Info,
        input: Annotated[StoryNpcInteractInput, strawberry.argument(description="The action.")],
    ) -> StorySessionPayload:
        view = await actions.npc_interact(
            viewer=info.context.principal,
            story_session_id=str(input.story_session_id),
            npc_id=input.npc_id,
            action=input.action,
            slot_id=str(input.slot_id) if input.slot_id is not None else None,
            expected_version=input.expected_version,
        )
        return _payload(view)

    @strawberry.mutation(
        description="Equip a backpack item into its equipment slot (what was there goes back "
        "to the backpack), unequip it, or use a consumable (one unit; the slot is deleted at "
        "zero). An item you do not have is ILLEGAL_MOVE.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def story_inventory_act(
        self,
        info: Info,
        input: Annotated[StoryInventoryActInput, strawberry.argument(description="The action.")],
    ) -> StorySessionPayload:
        view = await actions.inventory_act(
            viewer=info.context.principal,
            story_session_id=str(input.story_session_id),
            slot_id=str(input.slot_id),
            action=input.action,
            expected_version=input.expected_version,
        )
        return _payload(view)
