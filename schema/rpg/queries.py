"""`storySession(storySessionId)`: one of your story sessions (owner only)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.rpg import actions
from schema.context import Info
from schema.permissions import IsAuthenticated
from schema.rpg.types import StorySessionType


@strawberry.type
class RpgQuery:
    @strawberry.field(
        description="One of your story sessions (a finished pending turn is applied first). "
        "NOT_FOUND for a missing one or another user's.",
        permission_classes=[IsAuthenticated],
    )
    async def story_session(
        self,
        info: Info,
        story_session_id: Annotated[
            strawberry.ID, strawberry.argument(description="The session's id.")
        ],
    ) -> StorySessionType:
        view = await actions.story_session(
            viewer=info.context.principal, story_session_id=str(story_session_id)
        )
        return StorySessionType.from_view(view)
