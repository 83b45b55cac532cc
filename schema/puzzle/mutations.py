"""Puzzle mutations: the form entry, autosave, publish, update, unpublish.

Talking to the creation agent is `creationMessageSend` (playType PUZZLE). Images are bound
through the assets flow (`assetObjectBind`: entity `puzzle_work` slot `cover`, entity
`puzzle_level` `<workId>.<levelId>` slot `image`). A refusal returns `errors` and writes
nothing; a session or work that is not yours is NOT_FOUND.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from resolvers.puzzle import sessions
from resolvers.puzzle.plugin import PUZZLE
from schema.context import Info
from schema.gallery.loaders import gallery_loaders
from schema.ids import object_id
from schema.mutation_errors import DomainErrorPayload
from schema.permissions import IsAuthenticated
from schema.puzzle.session import PuzzleSession
from schema.puzzle.types import PuzzleBlocker, PuzzleErrorType
from schema.puzzle.work import PuzzleWork, build_works

ERRORS = "Empty on success; otherwise why nothing was written."
WORK_ID = "Your puzzle work's `workId`, or its global `id`."


@strawberry.input(description="One level of the form's draft.")
class PuzzleLevelDraftInput:
    level_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The level's id when it exists already (keeps its bound image); null "
        "for a new level. 1 to 32 letters, digits, `_` or `-`.",
    )
    name: str = strawberry.field(default="", description="Name, up to 60 characters.")
    grid_size: int | None = strawberry.field(
        default=None, description="Pieces per side, 3 to 8; null until chosen."
    )


@strawberry.input(description="The whole draft of the form (replaces the stored one).")
class PuzzleDraftInput:
    title: str = strawberry.field(default="", description="Title, up to 80 characters.")
    description: str = strawberry.field(
        default="", description="Description, up to 1000 characters."
    )
    theme: str = strawberry.field(default="", description="Theme, up to 32 characters.")
    tags: list[str] = strawberry.field(
        default_factory=list, description="Up to 8 distinct tags of 1 to 24 characters."
    )
    levels: list[PuzzleLevelDraftInput] = strawberry.field(
        default_factory=list, description="Up to 12 levels in play order, ids distinct."
    )

    def as_data(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "description": self.description,
            "theme": self.theme,
            "tags": list(self.tags),
            "levels": [
                {
                    "levelId": str(level.level_id) if level.level_id else None,
                    "name": level.name,
                    "gridSize": level.grid_size,
                }
                for level in self.levels
            ],
        }


@strawberry.input(description="Open the puzzle form: an empty session and its draft work.")
class PuzzleSessionStartInput:
    seed_text: str = strawberry.field(
        default="", description="The seed idea, up to 2000 characters (may stay empty)."
    )


@strawberry.input(description="Autosave of the puzzle form.")
class PuzzleSessionAutosaveInput:
    session_id: strawberry.ID = strawberry.field(description="Your puzzle session.")
    seed_text: str | None = strawberry.field(
        default=None, description="The seed idea, up to 2000 characters; null: unchanged."
    )
    draft: PuzzleDraftInput | None = strawberry.field(
        default=None, description="The whole draft, validated; null: unchanged."
    )


@strawberry.type(description="A puzzle session and its work after a change.")
class PuzzleSessionPayload:
    errors: list[PuzzleErrorType] = strawberry.field(description=ERRORS)
    session: PuzzleSession | None = strawberry.field(description="The session; null if refused.")
    work: PuzzleWork | None = strawberry.field(description="Its work; null if refused.")


@strawberry.type(description="Result of `puzzleSessionStart`.")
class PuzzleSessionStartPayload(PuzzleSessionPayload):
    pass


@strawberry.type(description="Result of `puzzleSessionAutosave`.")
class PuzzleSessionAutosavePayload(PuzzleSessionPayload):
    pass


@strawberry.type(description="Result of publishing or updating a puzzle work.")
class PuzzleWorkPublicationPayload:
    errors: list[PuzzleErrorType] = strawberry.field(
        description=ERRORS + " PUBLISH_BLOCKED comes with `blockers`."
    )
    blockers: list[PuzzleBlocker] = strawberry.field(
        description="With PUBLISH_BLOCKED: everything to fix, each with a code."
    )
    work: PuzzleWork | None = strawberry.field(description="The work; null if refused.")


@strawberry.type(description="Result of `puzzleWorkPublish`.")
class PuzzleWorkPublishPayload(PuzzleWorkPublicationPayload):
    pass


@strawberry.type(description="Result of `puzzleWorkUpdate`.")
class PuzzleWorkUpdatePayload(PuzzleWorkPublicationPayload):
    pass


@strawberry.type(description="Result of `puzzleWorkUnpublish`.")
class PuzzleWorkUnpublishPayload:
    errors: list[PuzzleErrorType] = strawberry.field(description=ERRORS)
    work: PuzzleWork | None = strawberry.field(description="The work, a draft again.")


async def _session_payload(
    info: Info, cls: type[PuzzleSessionPayload], result: sessions.SessionAndWork
) -> Any:
    loaders = gallery_loaders(info)
    return cls(
        errors=[],
        session=PuzzleSession.from_row(result.session, loaders),
        work=(await build_works([result.work], loaders))[0],
    )


@strawberry.type
class PuzzleMutation:
    @strawberry.mutation(
        description="Open the puzzle form: creates an empty session (stage "
        "COLLECTING_ANCHORS) and its draft work at once; the work is among your works with "
        "no cover and not publish-ready.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def puzzle_session_start(
        self,
        info: Info,
        input: Annotated[
            PuzzleSessionStartInput | None, strawberry.argument(description="The seed, if any.")
        ] = None,
    ) -> PuzzleSessionStartPayload:
        result = await sessions.start_session(
            viewer=info.context.principal, seed_text=input.seed_text if input else ""
        )
        payload: PuzzleSessionStartPayload = await _session_payload(
            info, PuzzleSessionStartPayload, result
        )
        return payload

    @strawberry.mutation(
        description="Autosave the form into the session's seed and draft (the whole draft, "
        "validated: DRAFT_INVALID writes nothing). The stage does not change; a draft work's "
        "card follows the draft (a published work changes with `puzzleWorkUpdate`).",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def puzzle_session_autosave(
        self,
        info: Info,
        input: Annotated[PuzzleSessionAutosaveInput, strawberry.argument(description="The form.")],
    ) -> PuzzleSessionAutosavePayload:
        result = await sessions.autosave(
            viewer=info.context.principal,
            session_id=str(input.session_id),
            seed_text=input.seed_text,
            draft=input.draft.as_data() if input.draft is not None else None,
        )
        payload: PuzzleSessionAutosavePayload = await _session_payload(
            info, PuzzleSessionAutosavePayload, result
        )
        return payload

    @strawberry.mutation(
        description="Publish a draft work: the session's draft must pass the gate (title, "
        "cover, at least one level, each level named with a grid size from 3 to 8 and an "
        "image; images PUBLIC_READ). Assigns the public work code, enters the gallery and "
        "emits a PUBLISHED puzzle event. Publishing twice publishes once "
        "(ALREADY_PUBLISHED).",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def puzzle_work_publish(
        self,
        info: Info,
        work_id: Annotated[strawberry.ID, strawberry.argument(description=WORK_ID)],
    ) -> PuzzleWorkPublishPayload:
        row = await PUZZLE.publish(
            viewer=info.context.principal, work_id=object_id(work_id, PuzzleWork)
        )
        work = (await build_works([row], gallery_loaders(info)))[0]
        return PuzzleWorkPublishPayload(errors=[], blockers=[], work=work)

    @strawberry.mutation(
        description="Publish the session's current draft over your published work (same "
        "gate); the gallery follows and an UPDATED puzzle event is emitted.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def puzzle_work_update(
        self,
        info: Info,
        work_id: Annotated[strawberry.ID, strawberry.argument(description=WORK_ID)],
    ) -> PuzzleWorkUpdatePayload:
        row = await PUZZLE.update(
            viewer=info.context.principal, work_id=object_id(work_id, PuzzleWork)
        )
        work = (await build_works([row], gallery_loaders(info)))[0]
        return PuzzleWorkUpdatePayload(errors=[], blockers=[], work=work)

    @strawberry.mutation(
        description="Take your published work out of the gallery; it becomes a draft that "
        "follows its session again (its public work code is kept). Emits UNPUBLISHED.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def puzzle_work_unpublish(
        self,
        info: Info,
        work_id: Annotated[strawberry.ID, strawberry.argument(description=WORK_ID)],
    ) -> PuzzleWorkUnpublishPayload:
        row = await PUZZLE.unpublish(
            viewer=info.context.principal, work_id=object_id(work_id, PuzzleWork)
        )
        work = (await build_works([row], gallery_loaders(info)))[0]
        return PuzzleWorkUnpublishPayload(errors=[], work=work)
