"""Agent sessions: cards, operations and the session (a `CreationSession`)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.scalars import JSON

from resolvers.creation.model import OperationStatus
from resolvers.gallery.play_types import PlayType
from resolvers.worlds.cards import asset_status_of
from resolvers.worlds.drafts import CustomWorldDraft, stored_draft
from resolvers.worlds.model import (
    AgentStage,
    AssetStatus,
    CardKind,
    CardStatus,
)
from resolvers.worlds.rows import AgentOperationRow, AgentSessionRow, DraftCardRow
from schema.creation.types import CreationSession
from schema.worlds.loaders import WorldLoaders
from schema.worlds.types import work as work_types
from schema.worlds.types.drafts import CustomWorldAnchor, CustomWorldDraftType, anchors_of
from schema.worlds.types.gate import CustomWorldPublishGate, live_gate


@strawberry.type(
    description="A card of a session's draft: one character, place or chapter. Edit it with "
    "`draftCardUpdate` (the publish gate runs again)."
)
class CustomWorldDraftCard:
    card_id: strawberry.ID = strawberry.field(description="The card's id (its element's id).")
    session_id: strawberry.ID = strawberry.field(description="Its agent session.")
    kind: CardKind = strawberry.field(description="CHARACTER, PLACE or CHAPTER.")
    status: CardStatus = strawberry.field(description="GENERATED or EDITED.")
    title: str = strawberry.field(description="Name or chapter title.")
    subtitle: str = strawberry.field(description="Role, region, or `Chapter n`.")
    summary: str = strawberry.field(description="Up to 1000 characters.")
    linked_ids: list[strawberry.ID] = strawberry.field(
        description="Cards it is linked to: a character's home and chapters, a place's "
        "residents and chapters, a chapter's characters and places."
    )
    warning_count: int = strawberry.field(
        description="Quality warnings (missing summary, role, home, cast or place)."
    )
    detail: JSON | None = strawberry.field(
        description="Kind-specific details (`playable`, `homePlaceId`, `region`, `order`, …)."
    )
    created_at: datetime = strawberry.field(description="When the card appeared.")
    updated_at: datetime = strawberry.field(description="Its last write.")
    loaders: strawberry.Private[WorldLoaders]

    @classmethod
    def from_row(cls, row: DraftCardRow, loaders: WorldLoaders) -> CustomWorldDraftCard:
        return cls(
            card_id=strawberry.ID(row.card_id),
            session_id=strawberry.ID(row.session_id),
            kind=row.kind,
            status=row.status,
            title=row.title,
            subtitle=row.subtitle,
            summary=row.summary,
            linked_ids=[strawberry.ID(i) for i in row.linked_ids],
            warning_count=row.warning_count,
            detail=row.detail_payload_json,
            created_at=row.created_at,
            updated_at=row.updated_at,
            loaders=loaders,
        )

    async def _asset(self) -> tuple[AssetStatus | None, str | None]:
        if self.kind is CardKind.CHAPTER:
            return None, None
        return asset_status_of(self.kind, await self.loaders.card_images.load(str(self.card_id)))

    @strawberry.field(
        description="MISSING or BOUND for characters and places (read now from the "
        "bindings); null for chapters."
    )
    async def asset_status(self) -> AssetStatus | None:
        return (await self._asset())[0]

    @strawberry.field(description="`Portrait bound`, `No image yet`, …; null for chapters.")
    async def asset_status_label(self) -> str | None:
        return (await self._asset())[1]


# --- operations (the catalog's mirror of each turn) -----------------------------------------


@strawberry.type(
    description="An agent turn as `custom_world_agent_operation` records it (the same "
    "`operationId` as the creation framework's turn)."
)
class CustomWorldAgentOperation:
    operation_id: strawberry.ID = strawberry.field(description="The turn's id.")
    operation_type: str = strawberry.field(description="`agent_reply`.")
    status: OperationStatus = strawberry.field(description="RUNNING, COMPLETED, FAILED, …")
    phase_label: str = strawberry.field(description="Short label of its phase.")
    phase_detail: str = strawberry.field(description="What the phase means.")
    progress: int = strawberry.field(description="0 while running, 100 once finished.")
    error_message: str | None = strawberry.field(description="Why it failed, if it did.")
    task_id: strawberry.ID | None = strawberry.field(
        description="The AI task streaming the reply (`aiTaskEvents(taskId)`)."
    )
    created_at: datetime = strawberry.field(description="When it started.")
    updated_at: datetime = strawberry.field(description="Its last change.")

    @classmethod
    def from_row(cls, row: AgentOperationRow) -> CustomWorldAgentOperation:
        return cls(
            operation_id=strawberry.ID(row.operation_id),
            operation_type=row.operation_type,
            status=row.status,
            phase_label=row.phase_label,
            phase_detail=row.phase_detail,
            progress=row.progress,
            error_message=row.error_message,
            task_id=strawberry.ID(row.task_id) if row.task_id else None,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


# --- agent sessions --------------------------------------------------------------------------


@strawberry.type(
    description="A conversation with the creation agent about one custom world (only its "
    "owner sees it). Send messages with `creationMessageSend(playType: CUSTOM_WORLD)`. "
    "`stage` and `progress` are as of the last write; `publishGate` is evaluated now."
)
class CustomWorldAgentSession(CreationSession):
    profile_id: strawberry.ID = strawberry.field(description="Its world (`work.workId`).")
    agent_stage: AgentStage = strawberry.field(description="`stage` as an enum.")
    focus_card_id: strawberry.ID | None = strawberry.field(description="The card in focus.")
    creator_intent: JSON | None = strawberry.field(description="What the creator set out to do.")
    creator_intent_readiness: JSON = strawberry.field(
        description="`{filled, missing, ready}`: which anchors are set."
    )
    anchor_pack: JSON | None = strawberry.field(
        description="The eight anchors together once all are set; null before."
    )
    lock_state: JSON | None = strawberry.field(
        description="What agent turns keep as it is (`editedCardIds`)."
    )
    stored_publish_gate: JSON | None = strawberry.field(
        description="The gate as evaluated at the last write (`{ready, blockers, evaluatedAt}`)."
    )
    result_preview: JSON | None = strawberry.field(description="The world card as it would show.")
    pending_clarifications: JSON = strawberry.field(description="Questions for the empty anchors.")
    quality_findings: JSON = strawberry.field(
        description="Card warnings: `[{cardId, kind, message}]`."
    )
    suggested_actions: JSON = strawberry.field(
        description="Next steps from the blockers: `[{action, label}]`."
    )
    recommended_replies: JSON = strawberry.field(description="Things the creator might say next.")
    asset_coverage: JSON = strawberry.field(
        description="`{cover, characters: {bound, total}, places: {bound, total}}` at the last "
        "write."
    )
    checkpoints: JSON = strawberry.field(
        description="One entry per applied turn, latest 20: `{turn, at, draftChanged}`."
    )
    world_draft: CustomWorldDraftType = strawberry.field(description="The typed draft.")
    anchors: list[CustomWorldAnchor] = strawberry.field(description="The eight anchors, in order.")
    typed_draft: strawberry.Private[CustomWorldDraft]
    loaders: strawberry.Private[WorldLoaders]

    @classmethod
    def from_row(cls, row: AgentSessionRow, loaders: WorldLoaders) -> CustomWorldAgentSession:
        """A session read (or written) together with its world: `row.profile_id` is set."""
        draft = stored_draft(row.draft_profile_json)
        return cls(
            **CreationSession.session_fields(
                play_type=PlayType.CUSTOM_WORLD,
                row=row.creation(),
                draft=row.draft_profile_json,
                loaders=loaders.creation,
            ),
            profile_id=strawberry.ID(row.profile_id or ""),
            agent_stage=row.stage,
            focus_card_id=strawberry.ID(row.focus_card_id) if row.focus_card_id else None,
            creator_intent=row.creator_intent_json,
            creator_intent_readiness=row.creator_intent_readiness_json,
            anchor_pack=row.anchor_pack_json,
            lock_state=row.lock_state_json,
            stored_publish_gate=row.publish_gate_json,
            result_preview=row.result_preview_json,
            pending_clarifications=row.pending_clarifications_json,
            quality_findings=row.quality_findings_json,
            suggested_actions=row.suggested_actions_json,
            recommended_replies=row.recommended_replies_json,
            asset_coverage=row.asset_coverage_json,
            checkpoints=row.checkpoints_json,
            world_draft=CustomWorldDraftType.from_draft(draft),
            anchors=anchors_of(draft),
            typed_draft=draft,
            loaders=loaders,
        )

    @strawberry.field(
        description="The publish gate now (the draft and the cover bound at this moment)."
    )
    async def publish_gate(self) -> CustomWorldPublishGate:
        gate: CustomWorldPublishGate = await live_gate(
            self.typed_draft, str(self.profile_id), self.loaders
        )
        return gate

    @strawberry.field(
        description="The draft's cards in draft order: characters, then places, then "
        "chapters; optionally of one kind."
    )
    async def cards(
        self,
        kind: Annotated[
            CardKind | None, strawberry.argument(description="Only cards of this kind.")
        ] = None,
    ) -> list[CustomWorldDraftCard]:
        rows = await self.loaders.cards.load(str(self.session_id))
        order = {element.id: index for index, element in enumerate(self.typed_draft.elements())}
        return [
            CustomWorldDraftCard.from_row(row, self.loaders)
            for row in sorted(rows, key=lambda row: order.get(row.card_id, len(order)))
            if kind is None or row.kind == kind
        ]

    @strawberry.field(
        description="The latest 20 turns as `custom_world_agent_operation` records them, "
        "newest first."
    )
    async def world_operations(self) -> list[CustomWorldAgentOperation]:
        rows = await self.loaders.operations.load(str(self.session_id))
        return [CustomWorldAgentOperation.from_row(row) for row in rows]

    @strawberry.field(description="Its world (a draft work until published).")
    async def work(
        self,
    ) -> Annotated[CustomWorldWork, strawberry.lazy("schema.worlds.types.work")] | None:
        return await work_types.work_of(str(self.profile_id), self.loaders)


# --- works -----------------------------------------------------------------------------------

if TYPE_CHECKING:
    from schema.worlds.types.work import CustomWorldWork
