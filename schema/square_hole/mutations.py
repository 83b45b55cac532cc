"""Square-hole mutations: the form entry, autosave, publish, update, unpublish.

Talking to the creation agent is `creationMessageSend` (playType SQUARE_HOLE; replies
stream through `aiTaskEvents`). The cover is bound through the assets flow
(`assetObjectBind`: entity `square_hole_work`, the work id, slot `cover`) or generated
(`workCoverGenerate`). A refusal returns `errors` and writes nothing; a session or work
that is not yours is NOT_FOUND.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from resolvers.square_hole import sessions
from resolvers.square_hole.plugin import SQUARE_HOLE
from resolvers.square_hole.rows import SquareHoleWorkRow
from schema.context import Info
from schema.gallery.loaders import gallery_loaders
from schema.ids import object_id
from schema.mutation_errors import DomainErrorPayload
from schema.permissions import IsAuthenticated
from schema.square_hole.config import SquareHoleBlocker, SquareHoleErrorType
from schema.square_hole.inputs import SquareHoleDraftInput
from schema.square_hole.types import (
    SquareHoleSession,
    SquareHoleWork,
    build_works,
)

ERRORS = "Empty on success; otherwise why nothing was written."
WORK_ID = "Your square-hole work's `workId`, or its global `id`."


@strawberry.input(description="Open the square-hole form: a session and its draft work.")
class SquareHoleSessionStartInput:
    seed_text: str = strawberry.field(
        default="", description="The seed idea, up to 2000 characters (may stay empty)."
    )


@strawberry.input(description="Autosave of the square-hole form.")
class SquareHoleSessionAutosaveInput:
    session_id: strawberry.ID = strawberry.field(description="Your square-hole session.")
    seed_text: str | None = strawberry.field(
        default=None, description="The seed idea, up to 2000 characters; null: unchanged."
    )
    draft: SquareHoleDraftInput | None = strawberry.field(
        default=None,
        description="The whole draft with its config, validated; null: unchanged.",
    )


@strawberry.type(description="A square-hole session and its work after a change.")
class SquareHoleSessionPayload:
    errors: list[SquareHoleErrorType] = strawberry.field(description=ERRORS)
    session: SquareHoleSession | None = strawberry.field(
        description="The session; null if refused."
    )
    work: SquareHoleWork | None = strawberry.field(description="Its work; null if refused.")


@strawberry.type(description="Result of `squareHoleSessionStart`.")
class SquareHoleSessionStartPayload(SquareHoleSessionPayload):
    pass


@strawberry.type(description="Result of `squareHoleSessionAutosave`.")
class SquareHoleSessionAutosavePayload(SquareHoleSessionPayload):
    pass


@strawberry.type(description="Result of publishing or updating a square-hole work.")
class SquareHoleWorkPublicationPayload:
    errors: list[SquareHoleErrorType] = strawberry.field(
        description=ERRORS + " PUBLISH_BLOCKED comes with `blockers`."
    )
    blockers: list[SquareHoleBlocker] = strawberry.field(
        description="With PUBLISH_BLOCKED: everything to fix, each with a code."
    )
    work: SquareHoleWork | None = strawberry.field(description="The work; null if refused.")


@strawberry.type(description="Result of `squareHoleWorkPublish`.")
class SquareHoleWorkPublishPayload(SquareHoleWorkPublicationPayload):
    pass


@strawberry.type(description="Result of `squareHoleWorkUpdate`.")
class SquareHoleWorkUpdatePayload(SquareHoleWorkPublicationPayload):
    pass


@strawberry.type(description="Result of `squareHoleWorkUnpublish`.")
class SquareHoleWorkUnpublishPayload:
    errors: list[SquareHoleErrorType] = strawberry.field(description=ERRORS)
    work: SquareHoleWork | None = strawberry.field(description="The work, a draft again.")


async def _session_payload(
    info: Info, cls: type[SquareHoleSessionPayload], result: sessions.SessionAndWork
) -> Any:
    loaders = gallery_loaders(info)
    return cls(
        errors=[],
        session=SquareHoleSession.from_row(result.session, loaders),
        work=(await build_works([result.work], loaders))[0],
    )


async def _work(info: Info, row: SquareHoleWorkRow) -> SquareHoleWork:
    return (await build_works([row], gallery_loaders(info)))[0]


@strawberry.type
class SquareHoleMutation:
    @strawberry.mutation(
        description="Open the square-hole form from a seed: creates a session (stage "
        "COLLECTING_ANCHORS) and its draft work at once; the work is in "
        "`viewer.squareHoleWorks` with no cover and not publish-ready.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def square_hole_session_start(
        self,
        info: Info,
        input: Annotated[
            SquareHoleSessionStartInput | None,
            strawberry.argument(description="The seed, if any."),
        ] = None,
    ) -> SquareHoleSessionStartPayload:
        result = await sessions.start_session(
            viewer=info.context.principal, seed_text=input.seed_text if input else ""
        )
        payload: SquareHoleSessionStartPayload = await _session_payload(
            info, SquareHoleSessionStartPayload, result
        )
        return payload

    @strawberry.mutation(
        description="Autosave the form into the session's seed, draft and config (the whole "
        "draft, validated: DRAFT_INVALID writes nothing). The stage does not change; a draft "
        "work's card follows the draft (a published work changes with `squareHoleWorkUpdate`).",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def square_hole_session_autosave(
        self,
        info: Info,
        input: Annotated[
            SquareHoleSessionAutosaveInput, strawberry.argument(description="The form.")
        ],
    ) -> SquareHoleSessionAutosavePayload:
        result = await sessions.autosave(
            viewer=info.context.principal,
            session_id=str(input.session_id),
            seed_text=input.seed_text,
            draft=input.draft.as_data() if input.draft is not None else None,
        )
        payload: SquareHoleSessionAutosavePayload = await _session_payload(
            info, SquareHoleSessionAutosavePayload, result
        )
        return payload

    @strawberry.mutation(
        description="Publish a draft work: the session's draft must pass the gate (title, "
        "PUBLIC_READ cover image, twist rule, holes, a non-empty rule list, a shape count "
        "from 2 to 30 with at least that many shapes, rules naming known shapes and holes, "
        "a reachable target score). Assigns the public work code and enters the gallery "
        "(a PUBLISHED gallery change). Publishing twice publishes once (ALREADY_PUBLISHED).",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def square_hole_work_publish(
        self,
        info: Info,
        work_id: Annotated[strawberry.ID, strawberry.argument(description=WORK_ID)],
    ) -> SquareHoleWorkPublishPayload:
        row = await SQUARE_HOLE.publish(
            viewer=info.context.principal, work_id=object_id(work_id, SquareHoleWork)
        )
        return SquareHoleWorkPublishPayload(errors=[], blockers=[], work=await _work(info, row))

    @strawberry.mutation(
        description="Publish the session's current draft over your published work (same "
        "gate); the gallery follows (an UPDATED gallery change). A draft is NOT_PUBLISHED.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def square_hole_work_update(
        self,
        info: Info,
        work_id: Annotated[strawberry.ID, strawberry.argument(description=WORK_ID)],
    ) -> SquareHoleWorkUpdatePayload:
        row = await SQUARE_HOLE.update(
            viewer=info.context.principal, work_id=object_id(work_id, SquareHoleWork)
        )
        return SquareHoleWorkUpdatePayload(errors=[], blockers=[], work=await _work(info, row))

    @strawberry.mutation(
        description="Take your published work out of the gallery; it becomes a draft that "
        "follows its session again (its public work code is kept). A draft is NOT_PUBLISHED.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def square_hole_work_unpublish(
        self,
        info: Info,
        work_id: Annotated[strawberry.ID, strawberry.argument(description=WORK_ID)],
    ) -> SquareHoleWorkUnpublishPayload:
        row = await SQUARE_HOLE.unpublish(
            viewer=info.context.principal, work_id=object_id(work_id, SquareHoleWork)
        )
        return SquareHoleWorkUnpublishPayload(errors=[], work=await _work(info, row))
