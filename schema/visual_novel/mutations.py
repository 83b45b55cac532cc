"""Visual-novel mutations: session start (seed or source assets), autosave, publish,
update, unpublish.

Talking to the creation agent is `creationMessageSend` (playType VISUAL_NOVEL). Images are
generated with `imageGenerate` (entity `visual_novel_work`, the work id; slot `cover`, or
`scene:<sceneId>` for a scene) or bound through the assets flow. A refusal returns
`errors` and writes nothing; a session or work that is not yours is NOT_FOUND.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON

from resolvers.visual_novel import sessions
from resolvers.visual_novel.plugin import VISUAL_NOVEL
from resolvers.visual_novel.rows import VisualNovelWorkRow
from schema.context import Info
from schema.gallery.loaders import gallery_loaders
from schema.ids import object_id
from schema.mutation_errors import DomainErrorPayload
from schema.permissions import IsAuthenticated
from schema.visual_novel.sessions import VisualNovelSession
from schema.visual_novel.types import VisualNovelBlocker, VisualNovelErrorType
from schema.visual_novel.work import VisualNovelWork, build_works

ERRORS = "Empty on success; otherwise why nothing was written."
WORK_ID = "Your visual novel's `workId`, or its global `id`."


@strawberry.input(description="Start a visual-novel session from a seed or source assets.")
class VisualNovelSessionStartInput:
    seed_text: str = strawberry.field(
        default="", description="The seed idea, up to 2000 characters (may stay empty)."
    )
    source_asset_ids: list[strawberry.ID] | None = strawberry.field(
        default=None,
        description="Start from these assets (source mode ASSETS): 1 to 12 ids of your own "
        "confirmed assets (else SOURCE_ASSETS_INVALID). Null: start from the seed.",
    )


@strawberry.input(description="Autosave of the visual-novel form.")
class VisualNovelSessionAutosaveInput:
    session_id: strawberry.ID = strawberry.field(description="Your visual-novel session.")
    seed_text: str | None = strawberry.field(
        default=None, description="The seed idea, up to 2000 characters; null: unchanged."
    )
    draft: JSON | None = strawberry.field(
        default=None,
        description="The whole `VisualNovelResultDraft` (docs/visual-novel.md), validated "
        "(DRAFT_INVALID writes nothing); null: unchanged.",
    )


@strawberry.type(description="A visual-novel session and its work after a change.")
class VisualNovelSessionPayload:
    errors: list[VisualNovelErrorType] = strawberry.field(description=ERRORS)
    session: VisualNovelSession | None = strawberry.field(
        description="The session; null if refused."
    )
    work: VisualNovelWork | None = strawberry.field(description="Its work; null if refused.")


@strawberry.type(description="Result of `visualNovelSessionStart`.")
class VisualNovelSessionStartPayload(VisualNovelSessionPayload):
    pass


@strawberry.type(description="Result of `visualNovelSessionAutosave`.")
class VisualNovelSessionAutosavePayload(VisualNovelSessionPayload):
    pass


@strawberry.type(description="Result of publishing or updating a visual novel.")
class VisualNovelWorkPublicationPayload:
    errors: list[VisualNovelErrorType] = strawberry.field(
        description=ERRORS + " PUBLISH_BLOCKED comes with `blockers`."
    )
    blockers: list[VisualNovelBlocker] = strawberry.field(
        description="With PUBLISH_BLOCKED: everything to fix, each with a code."
    )
    work: VisualNovelWork | None = strawberry.field(description="The work; null if refused.")


@strawberry.type(description="Result of `visualNovelWorkPublish`.")
class VisualNovelWorkPublishPayload(VisualNovelWorkPublicationPayload):
    pass


@strawberry.type(description="Result of `visualNovelWorkUpdate`.")
class VisualNovelWorkUpdatePayload(VisualNovelWorkPublicationPayload):
    pass


@strawberry.type(description="Result of `visualNovelWorkUnpublish`.")
class VisualNovelWorkUnpublishPayload:
    errors: list[VisualNovelErrorType] = strawberry.field(description=ERRORS)
    work: VisualNovelWork | None = strawberry.field(description="The work, a draft again.")


async def _session_payload(
    info: Info, cls: type[VisualNovelSessionPayload], result: sessions.SessionAndWork
) -> Any:
    loaders = gallery_loaders(info)
    return cls(
        errors=[],
        session=VisualNovelSession.from_row(result.session, loaders),
        work=(await build_works([result.work], loaders))[0],
    )


async def _work(info: Info, row: VisualNovelWorkRow) -> VisualNovelWork:
    """The work a publication step returned."""
    return (await build_works([row], gallery_loaders(info)))[0]


@strawberry.type
class VisualNovelMutation:
    @strawberry.mutation(
        description="Start a visual-novel session from a seed, or from your own confirmed "
        "assets (`sourceAssetIds`): creates the session (stage COLLECTING_ANCHORS) and its "
        "draft work at once (no cover, not publish-ready). Talk to the agent with "
        "`creationMessageSend` (playType VISUAL_NOVEL).",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def visual_novel_session_start(
        self,
        info: Info,
        input: Annotated[
            VisualNovelSessionStartInput | None,
            strawberry.argument(description="The seed or source assets, if any."),
        ] = None,
    ) -> VisualNovelSessionStartPayload:
        assets = input.source_asset_ids if input else None
        result = await sessions.start_session(
            viewer=info.context.principal,
            seed_text=input.seed_text if input else "",
            source_asset_ids=[str(a) for a in assets] if assets is not None else None,
        )
        payload: VisualNovelSessionStartPayload = await _session_payload(
            info, VisualNovelSessionStartPayload, result
        )
        return payload

    @strawberry.mutation(
        description="Autosave the form into the session's seed and draft (the whole draft, "
        "validated: DRAFT_INVALID writes nothing). The stage does not change; a draft work's "
        "card follows the draft; the agent's next proposal (`pendingAction`) is updated.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def visual_novel_session_autosave(
        self,
        info: Info,
        input: Annotated[
            VisualNovelSessionAutosaveInput, strawberry.argument(description="The form.")
        ],
    ) -> VisualNovelSessionAutosavePayload:
        result = await sessions.autosave(
            viewer=info.context.principal,
            session_id=str(input.session_id),
            seed_text=input.seed_text,
            draft=input.draft,
        )
        payload: VisualNovelSessionAutosavePayload = await _session_payload(
            info, VisualNovelSessionAutosavePayload, result
        )
        return payload

    @strawberry.mutation(
        description="Publish a draft work: the session's draft must pass the gate (title, "
        "cover, scenes, endings, every choice leading somewhere that exists, every ending "
        "reachable, an image per scene; images PUBLIC_READ). Assigns the public work code "
        "and enters the gallery. Publishing twice publishes once (ALREADY_PUBLISHED).",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def visual_novel_work_publish(
        self,
        info: Info,
        work_id: Annotated[strawberry.ID, strawberry.argument(description=WORK_ID)],
    ) -> VisualNovelWorkPublishPayload:
        row = await VISUAL_NOVEL.publish(
            viewer=info.context.principal, work_id=object_id(work_id, VisualNovelWork)
        )
        return VisualNovelWorkPublishPayload(errors=[], blockers=[], work=await _work(info, row))

    @strawberry.mutation(
        description="Publish the session's current draft over your published work (same "
        "gate); the gallery follows (UPDATED).",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def visual_novel_work_update(
        self,
        info: Info,
        work_id: Annotated[strawberry.ID, strawberry.argument(description=WORK_ID)],
    ) -> VisualNovelWorkUpdatePayload:
        row = await VISUAL_NOVEL.update(
            viewer=info.context.principal, work_id=object_id(work_id, VisualNovelWork)
        )
        return VisualNovelWorkUpdatePayload(errors=[], blockers=[], work=await _work(info, row))

    @strawberry.mutation(
        description="Take your published work out of the gallery: a draft again, its public "
        "code kept.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def visual_novel_work_unpublish(
        self,
        info: Info,
        work_id: Annotated[strawberry.ID, strawberry.argument(description=WORK_ID)],
    ) -> VisualNovelWorkUnpublishPayload:
        row = await VISUAL_NOVEL.unpublish(
            viewer=info.context.principal, work_id=object_id(work_id, VisualNovelWork)
        )
        return VisualNovelWorkUnpublishPayload(errors=[], work=await _work(info, row))
