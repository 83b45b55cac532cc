"""Custom-world mutations: start a session, autosave, edit cards, publish, unpublish,
delete, and the Q&A flow. Messages to the agent go through `creationMessageSend`
(playType CUSTOM_WORLD). Every write is one transaction; a refusal writes nothing; another
user's session, card or world is NOT_FOUND."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.worlds import card_edits, legacy, reading, sessions, works
from resolvers.worlds.errors import WorldError, WorldErrorCode
from resolvers.worlds.rows import WorldProfileRow
from schema.aliases import deprecated_alias
from schema.context import Info
from schema.ids import object_id
from schema.mutation_errors import DomainErrorPayload
from schema.permissions import IsAuthenticated
from schema.worlds.inputs import (
    CustomWorldAgentSessionAutosaveInput,
    CustomWorldAgentSessionCreateInput,
    CustomWorldSessionAnswerInput,
    CustomWorldSessionCreateInput,
    DraftCardUpdateInput,
)
from schema.worlds.loaders import WorldLoaders
from schema.worlds.payloads import (
    CustomWorldAgentSessionAutosavePayload,
    CustomWorldAgentSessionCreatePayload,
    CustomWorldDeletePayload,
    CustomWorldPublishPayload,
    CustomWorldSessionPayload,
    CustomWorldUnpublishPayload,
    CustomWorldWorkUpdatePayload,
    DraftCardUpdatePayload,
)
from schema.worlds.types import (
    CustomWorldAgentSession,
    CustomWorldDraftCard,
    CustomWorldPublishGate,
    CustomWorldSession,
    CustomWorldWork,
    works_from_profiles,
)

PROFILE_ID = "The world's `CustomWorldWork.workId`, or its global `id`."


def _session(saved: sessions.SavedWorld, loaders: WorldLoaders) -> CustomWorldAgentSession:
    return CustomWorldAgentSession.from_row(saved.session, loaders)


async def _work(profile: WorldProfileRow, loaders: WorldLoaders) -> CustomWorldWork:
    return (await works_from_profiles([profile], loaders))[0]


@strawberry.type
class WorldMutation:
    @strawberry.mutation(
        description="Start a conversation with the creation agent about a new custom world. "
        "Its draft work appears in your works at once (no cover, not publish-ready).",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def custom_world_session_start(
        self,
        info: Info,
        input: Annotated[
            CustomWorldAgentSessionCreateInput, strawberry.argument(description="The seed.")
        ],
    ) -> CustomWorldAgentSessionCreatePayload:
        saved = await sessions.create_session(viewer=info.context.principal, seed=input.seed_text)
        loaders = WorldLoaders(viewer_user_id=info.context.principal.user_id)
        return CustomWorldAgentSessionCreatePayload(
            errors=[], session=_session(saved, loaders), work=await _work(saved.profile, loaders)
        )

    @strawberry.mutation(
        description="Autosave form fields into your session's seed and draft (validated); "
        "the publish gate runs again and a published world's gallery entries follow.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def custom_world_session_autosave(
        self,
        info: Info,
        input: Annotated[
            CustomWorldAgentSessionAutosaveInput, strawberry.argument(description="The fields.")
        ],
    ) -> CustomWorldAgentSessionAutosavePayload:
        fields = sessions.AutosaveInput(
            seed_text=input.seed_text,
            world_name=input.world_name,
            subtitle=input.subtitle,
            summary=input.summary,
            theme_mode=input.theme_mode,
            tags=input.tags,
            anchors={a.key: a.text for a in input.anchors} if input.anchors is not None else None,
            focus_card_id=str(input.focus_card_id) if input.focus_card_id is not None else None,
        )
        saved = await sessions.autosave(
            viewer=info.context.principal, session_id=str(input.session_id), fields=fields
        )
        loaders = WorldLoaders(viewer_user_id=info.context.principal.user_id)
        return CustomWorldAgentSessionAutosavePayload(
            errors=[],
            session=_session(saved, loaders),
            publish_gate=CustomWorldPublishGate.of(saved.blockers),
        )

    @strawberry.mutation(
        description="Edit a card of your draft (title, subtitle, summary, playable); the "
        "publish gate runs again (on a published world, a change that would leave blockers "
        "is refused).",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def draft_card_update(
        self,
        info: Info,
        input: Annotated[DraftCardUpdateInput, strawberry.argument(description="The changes.")],
    ) -> DraftCardUpdatePayload:
        edit = card_edits.CardEdit(
            title=input.title,
            subtitle=input.subtitle,
            summary=input.summary,
            playable=input.playable,
        )
        saved = await card_edits.update_card(
            viewer=info.context.principal, card_id=str(input.card_id), edit=edit
        )
        loaders = WorldLoaders(viewer_user_id=info.context.principal.user_id)
        card = (await reading.cards_by_ids([str(input.card_id)])).get(str(input.card_id))
        return DraftCardUpdatePayload(
            errors=[],
            card=CustomWorldDraftCard.from_row(card, loaders) if card else None,
            session=_session(saved, loaders),
            publish_gate=CustomWorldPublishGate.of(saved.blockers),
        )

    @strawberry.mutation(
        description="Publish your world: refused with every blocker listed while the gate "
        "fails, and when it is already published (concurrent publishes publish once). Assigns "
        "its public work code and puts it in the gallery (a PUBLISHED change).",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def custom_world_work_publish(
        self,
        info: Info,
        profile_id: Annotated[strawberry.ID, strawberry.argument(description=PROFILE_ID)],
    ) -> CustomWorldPublishPayload:
        profile = await works.publish(
            viewer=info.context.principal, profile_id=object_id(profile_id, CustomWorldWork)
        )
        loaders = WorldLoaders(viewer_user_id=info.context.principal.user_id)
        return CustomWorldPublishPayload(errors=[], blockers=[], work=await _work(profile, loaders))

    @strawberry.mutation(
        description="Take your published world out of the gallery (an UNPUBLISHED change); "
        "it becomes a draft again and keeps its public work code.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def custom_world_work_unpublish(
        self,
        info: Info,
        profile_id: Annotated[strawberry.ID, strawberry.argument(description=PROFILE_ID)],
    ) -> CustomWorldUnpublishPayload:
        profile = await works.unpublish(
            viewer=info.context.principal, profile_id=object_id(profile_id, CustomWorldWork)
        )
        loaders = WorldLoaders(viewer_user_id=info.context.principal.user_id)
        return CustomWorldUnpublishPayload(errors=[], work=await _work(profile, loaders))

    @strawberry.mutation(
        description="Publish your world's current draft over its published work (the same "
        "gate; every blocker listed while it fails): the gallery entry is written again (an "
        "UPDATED change). A world that is not published is refused with NOT_PUBLISHED.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def custom_world_work_update(
        self,
        info: Info,
        profile_id: Annotated[strawberry.ID, strawberry.argument(description=PROFILE_ID)],
    ) -> CustomWorldWorkUpdatePayload:
        profile = await works.update(
            viewer=info.context.principal, profile_id=object_id(profile_id, CustomWorldWork)
        )
        loaders = WorldLoaders(viewer_user_id=info.context.principal.user_id)
        return CustomWorldWorkUpdatePayload(
            errors=[], blockers=[], work=await _work(profile, loaders)
        )

    # The names before the play-type contract (docs/schema-changes.md).
    custom_world_agent_session_create = deprecated_alias(
        custom_world_session_start, use="customWorldSessionStart"
    )
    custom_world_agent_session_autosave = deprecated_alias(
        custom_world_session_autosave, use="customWorldSessionAutosave"
    )
    custom_world_publish = deprecated_alias(custom_world_work_publish, use="customWorldWorkPublish")
    custom_world_unpublish = deprecated_alias(
        custom_world_work_unpublish, use="customWorldWorkUnpublish"
    )

    @strawberry.mutation(
        description="Delete your world (soft delete): it leaves the gallery and vanishes from "
        "every list and read, with its session and cards. Final.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def custom_world_delete(
        self,
        info: Info,
        profile_id: Annotated[strawberry.ID, strawberry.argument(description=PROFILE_ID)],
    ) -> CustomWorldDeletePayload:
        deleted = await works.delete(
            viewer=info.context.principal, profile_id=object_id(profile_id, CustomWorldWork)
        )
        return CustomWorldDeletePayload(errors=[], deleted_work_id=strawberry.ID(deleted))

    @strawberry.mutation(
        description="Start a question-and-answer session (the older flow) from a setting.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def custom_world_session_create(
        self,
        info: Info,
        input: Annotated[
            CustomWorldSessionCreateInput, strawberry.argument(description="The setting.")
        ],
    ) -> CustomWorldSessionPayload:
        row = await legacy.create_legacy_session(
            viewer=info.context.principal,
            setting_text=input.setting_text,
            mode=input.generation_mode,
        )
        return CustomWorldSessionPayload(errors=[], session=CustomWorldSession.from_row(row))

    @strawberry.mutation(
        description="Answer questions of your Q&A session (refused once it has its result).",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def custom_world_session_answer(
        self,
        info: Info,
        input: Annotated[
            CustomWorldSessionAnswerInput, strawberry.argument(description="The answers.")
        ],
    ) -> CustomWorldSessionPayload:
        if not 1 <= len(input.answers) <= 20:
            raise WorldError(
                WorldErrorCode.ANSWER_INVALID, "Give 1 to 20 answers.", field="answers"
            )
        row = await legacy.answer_questions(
            viewer=info.context.principal,
            session_id=str(input.session_id),
            answers=[(str(a.question_id), a.answer) for a in input.answers],
        )
        return CustomWorldSessionPayload(errors=[], session=CustomWorldSession.from_row(row))

    @strawberry.mutation(
        description="Generate the result of your Q&A session: COMPLETED with the draft, or "
        "FAILED with the error (answer again and retry). GUIDED sessions need every answer.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def custom_world_session_generate(
        self,
        info: Info,
        session_id: Annotated[strawberry.ID, strawberry.argument(description="Your Q&A session.")],
    ) -> CustomWorldSessionPayload:
        row = await legacy.generate_result(
            viewer=info.context.principal, session_id=str(session_id)
        )
        return CustomWorldSessionPayload(errors=[], session=CustomWorldSession.from_row(row))
