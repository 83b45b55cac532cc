"""Likes: `workLike`, `workUnlike` (signed-in users; idempotent)."""

from __future__ import annotations

from typing import Annotated, Self

import strawberry

from resolvers.gallery.likes import LikeState, like_work, unlike_work
from resolvers.gallery.model import entry_key
from resolvers.gallery.play_types import PlayType
from schema.context import Info
from schema.gallery.loaders import GalleryLoaders
from schema.gallery.types import GalleryErrorType
from schema.gallery.work import Work, work_from_row, work_object_id
from schema.mutation_errors import DomainErrorPayload
from schema.permissions import IsAuthenticated

PLAY_TYPE = "The work's play type."
WORK_ID = "The work's `workId`, or its global `id` (a work of `playType`)."


@strawberry.type(description="Common shape of `workLike` and `workUnlike` results.")
class WorkLikeResult:
    errors: list[GalleryErrorType] = strawberry.field(
        description="Empty on success. WORK_NOT_FOUND: no published work with this id."
    )
    liked: bool | None = strawberry.field(
        description="Whether you like the work now; null on error."
    )
    like_count: int | None = strawberry.field(description="The work's likes now; null on error.")
    changed: bool | None = strawberry.field(
        description="False when the call changed nothing (liked or not liked already)."
    )
    state: strawberry.Private[LikeState | None] = None
    viewer_user_id: strawberry.Private[str | None] = None

    @strawberry.field(description="The work as the gallery shows it; null on error.")
    async def work(self) -> Work | None:
        if self.state is None:
            return None
        loaders = GalleryLoaders(viewer_user_id=self.viewer_user_id)
        row = await loaders.works.load(entry_key(self.state.play_type, self.state.work_id))
        return work_from_row(row, loaders) if row is not None else None

    @classmethod
    def of(cls, state: LikeState, viewer_user_id: str) -> Self:
        return cls(
            errors=[],
            liked=state.liked,
            like_count=state.like_count,
            changed=state.changed,
            state=state,
            viewer_user_id=viewer_user_id,
        )


@strawberry.type(description="Result of `workLike`.")
class WorkLikePayload(WorkLikeResult):
    pass


@strawberry.type(description="Result of `workUnlike`.")
class WorkUnlikePayload(WorkLikeResult):
    pass


@strawberry.type
class GalleryMutation:
    @strawberry.mutation(
        description="Like a published work (one like per user and work; liking again "
        "changes nothing).",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def work_like(
        self,
        info: Info,
        play_type: Annotated[PlayType, strawberry.argument(description=PLAY_TYPE)],
        work_id: Annotated[strawberry.ID, strawberry.argument(description=WORK_ID)],
    ) -> WorkLikePayload:
        viewer = info.context.principal
        key = work_object_id(work_id, play_type)
        state = await like_work(viewer=viewer, play_type=play_type, work_id=key)
        return WorkLikePayload.of(state, viewer.require_user())

    @strawberry.mutation(
        description="Withdraw your like of a published work (no like: nothing changes).",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def work_unlike(
        self,
        info: Info,
        play_type: Annotated[PlayType, strawberry.argument(description=PLAY_TYPE)],
        work_id: Annotated[strawberry.ID, strawberry.argument(description=WORK_ID)],
    ) -> WorkUnlikePayload:
        viewer = info.context.principal
        key = work_object_id(work_id, play_type)
        state = await unlike_work(viewer=viewer, play_type=play_type, work_id=key)
        return WorkUnlikePayload.of(state, viewer.require_user())
