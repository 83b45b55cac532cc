"""Match3D mutations: session start, autosave, publish, update, unpublish.

Talking to the creation agent is `creationMessageSend` (playType MATCH3D). Images are
generated with `imageGenerate` (entity `match3d_work`, the work id; slot `cover`, or
`item:<itemId>` for an item's cut image) or bound through the assets flow. A refusal
returns `errors` and writes nothing; a session or work that is not yours is NOT_FOUND.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from resolvers.match3d import sessions
from resolvers.match3d.plugin import MATCH3D
from resolvers.match3d.rows import Match3dWorkRow
from schema.context import Info
from schema.gallery.loaders import gallery_loaders
from schema.ids import object_id
from schema.match3d.drafts import Match3dDraftInput
from schema.match3d.sessions import Match3dSession
from schema.match3d.types import (
    Match3dBlocker,
    Match3dErrorType,
    Match3dWork,
    build_works,
)
from schema.mutation_errors import DomainErrorPayload
from schema.permissions import IsAuthenticated

ERRORS = "Empty on success; otherwise why nothing was written."
WORK_ID = "Your Match3D work's `workId`, or its global `id`."


@strawberry.input(description="Start a Match3D session from a seed.")
class Match3dSessionStartInput:
    seed_text: str = strawberry.field(
        default="", description="The seed idea, up to 2000 characters (may stay empty)."
    )


@strawberry.input(description="Autosave of the Match3D form.")
class Match3dSessionAutosaveInput:
    session_id: strawberry.ID = strawberry.field(description="Your Match3D session.")
    seed_text: str | None = strawberry.field(
        default=None, description="The seed idea, up to 2000 characters; null: unchanged."
    )
    draft: Match3dDraftInput | None = strawberry.field(
        default=None, description="The whole draft, validated; null: unchanged."
    )


@strawberry.type(description="A Match3D session and its work after a change.")
class Match3dSessionPayload:
    errors: list[Match3dErrorType] = strawberry.field(description=ERRORS)
    session: Match3dSession | None = strawberry.field(description="The session; null if refused.")
    work: Match3dWork | None = strawberry.field(description="Its work; null if refused.")


@strawberry.type(description="Result of `match3dSessionStart`.")
class Match3dSessionStartPayload(Match3dSessionPayload):
    pass


@strawberry.type(description="Result of `match3dSessionAutosave`.")
class Match3dSessionAutosavePayload(Match3dSessionPayload):
    pass


@strawberry.type(description="Result of publishing or updating a Match3D work.")
class Match3dWorkPublicationPayload:
    errors: list[Match3dErrorType] = strawberry.field(
        description=ERRORS + " PUBLISH_BLOCKED comes with `blockers`."
    )
    blockers: list[Match3dBlocker] = strawberry.field(
        description="With PUBLISH_BLOCKED: everything to fix, each with a code."
    )
    work: Match3dWork | None = strawberry.field(description="The work; null if refused.")


@strawberry.type(description="Result of `match3dWorkPublish`.")
class Match3dWorkPublishPayload(Match3dWorkPublicationPayload):
    pass


@strawberry.type(description="Result of `match3dWorkUpdate`.")
class Match3dWorkUpdatePayload(Match3dWorkPublicationPayload):
    pass


@strawberry.type(description="Result of `match3dWorkUnpublish`.")
class Match3dWorkUnpublishPayload:
    errors: list[Match3dErrorType] = strawberry.field(description=ERRORS)
    work: Match3dWork | None = strawberry.field(description="The work, a draft again.")


async def _session_payload(
    info: Info, cls: type[Match3dSessionPayload], result: sessions.SessionAndWork
) -> Any:
    loaders = gallery_loaders(info)
    return cls(
        errors=[],
        session=Match3dSession.from_row(result.session, loaders),
        work=(await build_works([result.work], loaders))[0],
    )


async def _work(info: Info, row: Match3dWorkRow) -> Match3dWork:
    return (await build_works([row], gallery_loaders(info)))[0]


@strawberry.type
class Match3dMutation:
    @strawberry.mutation(
        description="Start a Match3D session from a seed: creates the session (stage "
        "COLLECTING_ANCHORS) and its draft work at once; the work is in `viewer.match3dWorks` "
        "with no cover and not publish-ready. Talk to the agent with `creationMessageSend`.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def match3d_session_start(
        self,
        info: Info,
        input: Annotated[
            Match3dSessionStartInput | None, strawberry.argument(description="The seed, if any.")
        ] = None,
    ) -> Match3dSessionStartPayload:
        result = await sessions.start_session(
            viewer=info.context.principal, seed_text=input.seed_text if input else ""
        )
        payload: Match3dSessionStartPayload = await _session_payload(
            info, Match3dSessionStartPayload, result
        )
        return payload

    @strawberry.mutation(
        description="Autosave the form into the session's seed, draft and config (the whole "
        "draft, validated: DRAFT_INVALID writes nothing). The stage does not change; a draft "
        "work's card follows the draft; the work's generated item assets are kept.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def match3d_session_autosave(
        self,
        info: Info,
        input: Annotated[Match3dSessionAutosaveInput, strawberry.argument(description="The form.")],
    ) -> Match3dSessionAutosavePayload:
        result = await sessions.autosave(
            viewer=info.context.principal,
            session_id=str(input.session_id),
            seed_text=input.seed_text,
            draft=input.draft.as_data() if input.draft is not None else None,
        )
        payload: Match3dSessionAutosavePayload = await _session_payload(
            info, Match3dSessionAutosavePayload, result
        )
        return payload

    @strawberry.mutation(
        description="Publish a draft work: the session's draft must pass the gate (title, "
        "cover, at least 4 items, each named with a cut image, clear count matching the "
        "board; images PUBLIC_READ). Assigns the public work code and enters the gallery. "
        "Publishing twice publishes once (ALREADY_PUBLISHED).",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def match3d_work_publish(
        self,
        info: Info,
        work_id: Annotated[strawberry.ID, strawberry.argument(description=WORK_ID)],
    ) -> Match3dWorkPublishPayload:
        row = await MATCH3D.publish(
            viewer=info.context.principal, work_id=object_id(work_id, Match3dWork)
        )
        return Match3dWorkPublishPayload(errors=[], blockers=[], work=await _work(info, row))

    @strawberry.mutation(
        description="Publish the session's current draft over your published work (same "
        "gate); the gallery follows (UPDATED).",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def match3d_work_update(
        self,
        info: Info,
        work_id: Annotated[strawberry.ID, strawberry.argument(description=WORK_ID)],
    ) -> Match3dWorkUpdatePayload:
        row = await MATCH3D.update(
            viewer=info.context.principal, work_id=object_id(work_id, Match3dWork)
        )
        return Match3dWorkUpdatePayload(errors=[], blockers=[], work=await _work(info, row))

    @strawberry.mutation(
        description="Take your published work out of the gallery; it becomes a draft that "
        "follows its session again (its public work code is kept).",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def match3d_work_unpublish(
        self,
        info: Info,
        work_id: Annotated[strawberry.ID, strawberry.argument(description=WORK_ID)],
    ) -> Match3dWorkUnpublishPayload:
        row = await MATCH3D.unpublish(
            viewer=info.context.principal, work_id=object_id(work_id, Match3dWork)
        )
        return Match3dWorkUnpublishPayload(errors=[], work=await _work(info, row))
