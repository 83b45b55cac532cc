"""Custom-world queries: your sessions, cards and worlds by id, and published worlds by
public work code (the catalog's `custom_world_gallery_entry` read model)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.errors import NotFound
from resolvers.pagination import Page
from resolvers.worlds import legacy, reading, work_reads
from resolvers.worlds.model import ThemeMode
from schema.context import Info
from schema.ids import object_id
from schema.permissions import IsAuthenticated
from schema.relay import Connection
from schema.worlds.loaders import WorldLoaders
from schema.worlds.types import (
    AFTER,
    FIRST,
    CustomWorldAgentSession,
    CustomWorldDraftCard,
    CustomWorldSession,
    CustomWorldWork,
    works_from_profiles,
)


@strawberry.type
class WorldQuery:
    @strawberry.field(
        description="One of your agent sessions (finished turns applied); NOT_FOUND for "
        "another user's or a deleted world's.",
        permission_classes=[IsAuthenticated],
    )
    async def custom_world_agent_session(
        self,
        info: Info,
        session_id: Annotated[strawberry.ID, strawberry.argument(description="The session's id.")],
    ) -> CustomWorldAgentSession:
        row = await reading.owned_session(viewer=info.context.principal, session_id=str(session_id))
        loaders = WorldLoaders(viewer_user_id=info.context.principal.user_id)
        return CustomWorldAgentSession.from_row(row, loaders)

    @strawberry.field(
        description="One card of your drafts; NOT_FOUND for another user's.",
        permission_classes=[IsAuthenticated],
    )
    async def custom_world_draft_card(
        self,
        info: Info,
        card_id: Annotated[strawberry.ID, strawberry.argument(description="The card's id.")],
    ) -> CustomWorldDraftCard:
        row = await reading.owned_card(viewer=info.context.principal, card_id=str(card_id))
        return CustomWorldDraftCard.from_row(
            row, WorldLoaders(viewer_user_id=info.context.principal.user_id)
        )

    @strawberry.field(
        description="One of your worlds, draft or published; NOT_FOUND for another user's "
        "(published worlds of others: `publicCustomWorld` or `node`).",
        permission_classes=[IsAuthenticated],
    )
    async def custom_world(
        self,
        info: Info,
        profile_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The world's `workId`, or its global `id`."),
        ],
    ) -> CustomWorldWork:
        row = await work_reads.owned_world(
            viewer=info.context.principal, profile_id=object_id(profile_id, CustomWorldWork)
        )
        loaders = WorldLoaders(viewer_user_id=info.context.principal.user_id)
        return (await works_from_profiles([row], loaders))[0]

    @strawberry.field(
        description="One of your question-and-answer sessions; NOT_FOUND for another user's.",
        permission_classes=[IsAuthenticated],
    )
    async def custom_world_session(
        self,
        info: Info,
        session_id: Annotated[strawberry.ID, strawberry.argument(description="The session's id.")],
    ) -> CustomWorldSession:
        row = await legacy.legacy_session(viewer=info.context.principal, session_id=str(session_id))
        return CustomWorldSession.from_row(row)

    @strawberry.field(
        description="A published world by its public work code (anyone); NOT_FOUND when no "
        "published world has it."
    )
    async def public_custom_world(
        self,
        info: Info,
        public_work_code: Annotated[
            str, strawberry.argument(description="The code (`CW` and 8 characters).")
        ],
    ) -> CustomWorldWork:
        entry = await work_reads.gallery_entry_by_code(public_work_code.strip().upper())
        loaders = WorldLoaders(viewer_user_id=info.context.principal.user_id)
        row = await loaders.profiles.load(entry.profile_id) if entry else None
        if row is None:
            raise NotFound("No published world has this code.")
        return (await works_from_profiles([row], loaders))[0]

    @strawberry.field(
        description="Published custom worlds from their public read model, newest "
        "publication first, optionally of one theme (anyone). The cross-type feed is "
        "`gallery(playType: CUSTOM_WORLD)`."
    )
    async def public_custom_worlds(
        self,
        info: Info,
        theme_mode: Annotated[
            ThemeMode | None, strawberry.argument(description="Only this theme.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[CustomWorldWork]:
        page = await work_reads.gallery_entries(theme=theme_mode, first=first, after=after)
        loaders = WorldLoaders(viewer_user_id=info.context.principal.user_id)
        profiles = await work_reads.profiles_by_ids([row.profile_id for row in page.items])
        works = {
            str(w.work_id): w for w in await works_from_profiles(list(profiles.values()), loaders)
        }
        # An entry whose world was deleted since the page was read is left out.
        kept = [i for i, row in enumerate(page.items) if row.profile_id in works]
        page = Page(
            items=[page.items[i] for i in kept],
            cursors=[page.cursors[i] for i in kept],
            has_next_page=page.has_next_page,
        )
        return Connection[CustomWorldWork].from_page(page, lambda row: works[row.profile_id])
