"""Big-fish creation mutations: the form entry, autosave, the recorded gate, sprite
generation, publish, update, unpublish.

Talking to the creation agent is `creationMessageSend` (playType BIG_FISH). The cover is
bound through the assets flow (entity `big_fish_work`, the session id, slot `cover`) or
generated (`workCoverGenerate`); the sprites come from `bigFishAssetsGenerate`. A refusal
returns `errors` and writes nothing; a session that is not yours is NOT_FOUND.
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from resolvers.big_fish import assets, publishing, sessions, slots
from resolvers.big_fish.plugin import BIG_FISH
from resolvers.big_fish.rows import BigFishWorkRow
from schema.big_fish.types import BigFishBlocker, BigFishErrorType, BigFishSession, BigFishWork
from schema.context import Info
from schema.gallery.loaders import GalleryLoaders
from schema.mutation_errors import DomainErrorPayload
from schema.permissions import IsAuthenticated

ERRORS = "Empty on success; otherwise why nothing was written."
SESSION_ID = "Your big-fish session's id (it is also the work's `workId`)."


async def session_object(row: BigFishWorkRow) -> BigFishSession:
    found = await slots.slots_of([row.session_id])
    return BigFishSession.from_row(row, found[row.session_id])


@strawberry.type(description="A big-fish session after a change.")
class BigFishSessionPayload:
    errors: list[BigFishErrorType] = strawberry.field(description=ERRORS)
    session: BigFishSession | None = strawberry.field(description="The session; null if refused.")


@strawberry.type(description="Result of publishing, updating or unpublishing a big-fish work.")
class BigFishPublicationPayload:
    errors: list[BigFishErrorType] = strawberry.field(
        description=ERRORS + " PUBLISH_BLOCKED comes with `blockers`."
    )
    blockers: list[BigFishBlocker] = strawberry.field(
        description="With PUBLISH_BLOCKED: everything to fix, each with a code."
    )
    session: BigFishSession | None = strawberry.field(description="The session; null if refused.")
    work: BigFishWork | None = strawberry.field(description="The work; null if refused.")


@strawberry.type(description="Result of `bigFishGateEvaluate`.")
class BigFishGatePayload:
    errors: list[BigFishErrorType] = strawberry.field(description=ERRORS)
    publish_ready: bool = strawberry.field(
        default=False, description="Whether nothing blocks publishing."
    )
    blockers: list[BigFishBlocker] = strawberry.field(description="What blocks it.")


@strawberry.type(description="Result of `bigFishAssetsGenerate`.")
class BigFishAssetsPayload:
    errors: list[BigFishErrorType] = strawberry.field(description=ERRORS)
    task_ids: list[strawberry.ID] = strawberry.field(
        description="The image-generation tasks queued (follow them with `aiTaskEvents`)."
    )
    session: BigFishSession | None = strawberry.field(description="The session; slots PENDING.")


async def _publication(info: Info, row: BigFishWorkRow) -> BigFishPublicationPayload:
    loaders = GalleryLoaders(viewer_user_id=info.context.principal.user_id)
    return BigFishPublicationPayload(
        errors=[],
        blockers=[],
        session=await session_object(row),
        work=BigFishWork.from_session(row, loaders),
    )


@strawberry.type
class BigFishMutation:
    @strawberry.mutation(
        description="Open the big-fish form from a seed (up to 2000 characters): a session "
        "that is also its draft work (no cover, not publish-ready).",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def big_fish_session_start(
        self,
        info: Info,
        seed_text: Annotated[str, strawberry.argument(description="The seed idea.")] = "",
    ) -> BigFishSessionPayload:
        row = await sessions.start_session(viewer=info.context.principal, seed_text=seed_text)
        return BigFishSessionPayload(errors=[], session=await session_object(row))

    @strawberry.mutation(
        description="Autosave the seed and/or the whole draft (validated: DRAFT_INVALID "
        "writes nothing; keys the draft does not know are kept).",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def big_fish_session_autosave(
        self,
        info: Info,
        session_id: Annotated[strawberry.ID, strawberry.argument(description=SESSION_ID)],
        seed_text: Annotated[
            str | None, strawberry.argument(description="The seed; null: unchanged.")
        ] = None,
        draft: Annotated[
            JSON | None, strawberry.argument(description="The whole draft; null: unchanged.")
        ] = None,
    ) -> BigFishSessionPayload:
        row = await sessions.autosave(
            viewer=info.context.principal,
            session_id=str(session_id),
            seed_text=seed_text,
            draft=dict(draft) if isinstance(draft, dict) else None,
        )
        return BigFishSessionPayload(errors=[], session=await session_object(row))

    @strawberry.mutation(
        description="Evaluate the publish gate now; every evaluation is recorded as a "
        "`bigFishEvents` event with its verdict and blockers.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def big_fish_gate_evaluate(
        self,
        info: Info,
        session_id: Annotated[strawberry.ID, strawberry.argument(description=SESSION_ID)],
    ) -> BigFishGatePayload:
        found = await publishing.evaluate_gate(
            viewer=info.context.principal, work_id=str(session_id)
        )
        return BigFishGatePayload(
            errors=[],
            publish_ready=not found,
            blockers=[BigFishBlocker.from_blocker(blocker) for blocker in found],
        )

    @strawberry.mutation(
        description="Queue an image generation for every sprite slot of the draft that has "
        "no image and none under way (the daily image quota applies); those slots go "
        "PENDING, then READY with their URL once generated.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def big_fish_assets_generate(
        self,
        info: Info,
        session_id: Annotated[strawberry.ID, strawberry.argument(description=SESSION_ID)],
    ) -> BigFishAssetsPayload:
        viewer = info.context.principal
        task_ids = await assets.generate_missing(viewer=viewer, session_id=str(session_id))
        row = await sessions.owned_session(viewer=viewer, session_id=str(session_id))
        return BigFishAssetsPayload(
            errors=[],
            task_ids=[strawberry.ID(task_id) for task_id in task_ids],
            session=await session_object(row),
        )

    @strawberry.mutation(
        description="Publish a draft work that passes the gate (title, PUBLIC_READ cover and "
        "sprites, ascending levels and thresholds, food for the player, a reachable win "
        "size): public code, the gallery (a PUBLISHED change). ALREADY_PUBLISHED when it is.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def big_fish_work_publish(
        self,
        info: Info,
        session_id: Annotated[strawberry.ID, strawberry.argument(description=SESSION_ID)],
    ) -> BigFishPublicationPayload:
        row = await BIG_FISH.publish(viewer=info.context.principal, work_id=str(session_id))
        return await _publication(info, row)

    @strawberry.mutation(
        description="Publish the current draft over your published work (same gate; an "
        "UPDATED gallery change). A draft is NOT_PUBLISHED.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def big_fish_work_update(
        self,
        info: Info,
        session_id: Annotated[strawberry.ID, strawberry.argument(description=SESSION_ID)],
    ) -> BigFishPublicationPayload:
        row = await BIG_FISH.update(viewer=info.context.principal, work_id=str(session_id))
        return await _publication(info, row)

    @strawberry.mutation(
        description="Take your published work out of the gallery (a draft again, its code "
        "kept). A draft is NOT_PUBLISHED.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def big_fish_work_unpublish(
        self,
        info: Info,
        session_id: Annotated[strawberry.ID, strawberry.argument(description=SESSION_ID)],
    ) -> BigFishPublicationPayload:
        row = await BIG_FISH.unpublish(viewer=info.context.principal, work_id=str(session_id))
        return await _publication(info, row)
