"""Typed rows the schema reads from custom worlds: agent sessions, works (profiles), draft
cards, mirrored agent operations and public gallery entries, each built in `from_row` on
both engines (raw statements and `returning` give JSON as text, and times may come as text
on SQLite).

JSON columns the schema exposes as JSON scalars stay free-form (`Any`); the rows around
them are typed. Q&A sessions (the older flow) are in resolvers/worlds/legacy_rows.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from resolvers.creation.model import OperationStatus
from resolvers.creation.rows import CreationSessionRow
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.runs.rows import json_value, optional_utc_time, utc_time
from resolvers.worlds.model import AgentStage, CardKind, CardStatus


@dataclass(frozen=True, slots=True)
class AgentSessionRow:
    """An agent session (`custom_world_agent_session`), its JSON decoded; `profile_id` is
    its world's when the session was read (or locked) together with it."""

    session_id: str
    owner_user_id: str
    seed_text: str
    current_turn: int
    progress_percent: int
    stage: AgentStage
    focus_card_id: str | None
    anchor_content_json: Any
    creator_intent_json: Any
    creator_intent_readiness_json: Any
    anchor_pack_json: Any
    lock_state_json: Any
    draft_profile_json: Any
    last_assistant_reply: str | None
    publish_gate_json: Any
    result_preview_json: Any
    pending_clarifications_json: Any
    quality_findings_json: Any
    suggested_actions_json: Any
    recommended_replies_json: Any
    asset_coverage_json: Any
    checkpoints_json: Any
    created_at: datetime
    updated_at: datetime
    profile_id: str | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> AgentSessionRow:
        return cls(
            session_id=row["session_id"],
            owner_user_id=row["owner_user_id"],
            seed_text=row["seed_text"],
            current_turn=int(row["current_turn"]),
            progress_percent=int(row["progress_percent"]),
            stage=AgentStage(row["stage"]),
            focus_card_id=row["focus_card_id"],
            anchor_content_json=json_value(row["anchor_content_json"]),
            creator_intent_json=json_value(row["creator_intent_json"]),
            creator_intent_readiness_json=json_value(row["creator_intent_readiness_json"]),
            anchor_pack_json=json_value(row["anchor_pack_json"]),
            lock_state_json=json_value(row["lock_state_json"]),
            draft_profile_json=json_value(row["draft_profile_json"]),
            last_assistant_reply=row["last_assistant_reply"],
            publish_gate_json=json_value(row["publish_gate_json"]),
            result_preview_json=json_value(row["result_preview_json"]),
            pending_clarifications_json=json_value(row["pending_clarifications_json"]),
            quality_findings_json=json_value(row["quality_findings_json"]),
            suggested_actions_json=json_value(row["suggested_actions_json"]),
            recommended_replies_json=json_value(row["recommended_replies_json"]),
            asset_coverage_json=json_value(row["asset_coverage_json"]),
            checkpoints_json=json_value(row["checkpoints_json"]),
            created_at=utc_time(row["created_at"]),
            updated_at=utc_time(row["updated_at"]),
            profile_id=row.get("profile_id"),
        )

    def creation(self) -> CreationSessionRow:
        """The part every creation session shows (`CreationSession.session_fields`)."""
        return CreationSessionRow(
            session_id=self.session_id,
            seed_text=self.seed_text,
            stage=self.stage.value,
            progress_percent=self.progress_percent,
            current_turn=self.current_turn,
            last_assistant_reply=self.last_assistant_reply,
            created_at=self.created_at,
            updated_at=self.updated_at,
        )


@dataclass(frozen=True, slots=True)
class WorldProfileRow:
    """A world as a work (`custom_world_profile`): its published fields and payload."""

    profile_id: str
    owner_user_id: str
    public_work_code: str | None
    author_public_user_code: str | None
    source_agent_session_id: str | None
    publication_status: WorkPublicationStatus
    world_name: str
    subtitle: str
    summary_text: str
    theme_mode: str
    cover_image_src: str | None
    profile_payload_json: Any
    playable_npc_count: int
    landmark_count: int
    author_display_name: str
    published_at: datetime | None
    deleted_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> WorldProfileRow:
        return cls(
            profile_id=row["profile_id"],
            owner_user_id=row["owner_user_id"],
            public_work_code=row["public_work_code"],
            author_public_user_code=row["author_public_user_code"],
            source_agent_session_id=row["source_agent_session_id"],
            publication_status=WorkPublicationStatus(row["publication_status"]),
            world_name=row["world_name"],
            subtitle=row["subtitle"],
            summary_text=row["summary_text"],
            theme_mode=row["theme_mode"],
            cover_image_src=row["cover_image_src"],
            profile_payload_json=json_value(row["profile_payload_json"]),
            playable_npc_count=int(row["playable_npc_count"]),
            landmark_count=int(row["landmark_count"]),
            author_display_name=row["author_display_name"],
            published_at=optional_utc_time(row["published_at"]),
            deleted_at=optional_utc_time(row["deleted_at"]),
            created_at=utc_time(row["created_at"]),
            updated_at=utc_time(row["updated_at"]),
        )

    @property
    def published(self) -> bool:
        return self.publication_status is WorkPublicationStatus.PUBLISHED

    @property
    def source_session_id(self) -> str | None:
        """The agent session behind the world, as every play type's work row names it
        (`works.WorkRow`)."""
        return self.source_agent_session_id


@dataclass(frozen=True, slots=True)
class WorldAccess:
    """Who owns a live world and whether it is published: what asset checks need."""

    owner_user_id: str
    publication_status: str

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> WorldAccess:
        return cls(owner_user_id=row["owner_user_id"], publication_status=row["publication_status"])


@dataclass(frozen=True, slots=True)
class DraftCardRow:
    """A card of a session's draft (`custom_world_draft_card`): one character, place or
    chapter; `detail_payload_json` is free-form (the schema's `detail`)."""

    card_id: str
    session_id: str
    kind: CardKind
    status: CardStatus
    title: str
    subtitle: str
    summary: str
    linked_ids: tuple[str, ...]
    warning_count: int
    asset_status: str | None
    asset_status_label: str | None
    detail_payload_json: Any
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> DraftCardRow:
        return cls(
            card_id=row["card_id"],
            session_id=row["session_id"],
            kind=CardKind(row["kind"]),
            status=CardStatus(row["status"]),
            title=row["title"],
            subtitle=row["subtitle"],
            summary=row["summary"],
            linked_ids=tuple(json_value(row["linked_ids_json"]) or ()),
            warning_count=int(row["warning_count"]),
            asset_status=row["asset_status"],
            asset_status_label=row["asset_status_label"],
            detail_payload_json=json_value(row["detail_payload_json"]),
            created_at=utc_time(row["created_at"]),
            updated_at=utc_time(row["updated_at"]),
        )


@dataclass(frozen=True, slots=True)
class AgentOperationRow:
    """An agent turn as `custom_world_agent_operation` mirrors it, with the AI task that
    streams its reply (None before the turn has one)."""

    operation_id: str
    session_id: str
    operation_type: str
    status: OperationStatus
    phase_label: str
    phase_detail: str
    progress: int
    error_message: str | None
    task_id: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> AgentOperationRow:
        return cls(
            operation_id=row["operation_id"],
            session_id=row["session_id"],
            operation_type=row["operation_type"],
            status=OperationStatus(row["status"]),
            phase_label=row["phase_label"],
            phase_detail=row["phase_detail"],
            progress=int(row["progress"]),
            error_message=row["error_message"],
            task_id=row.get("task_id") or None,
            created_at=utc_time(row["created_at"]),
            updated_at=utc_time(row["updated_at"]),
        )


@dataclass(frozen=True, slots=True)
class GalleryEntryRow:
    """A published world in its public read model (`custom_world_gallery_entry`)."""

    profile_id: str
    owner_user_id: str
    public_work_code: str
    author_public_user_code: str
    author_display_name: str
    world_name: str
    subtitle: str
    summary_text: str
    cover_image_src: str | None
    theme_mode: str
    playable_npc_count: int
    landmark_count: int
    published_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> GalleryEntryRow:
        return cls(
            profile_id=row["profile_id"],
            owner_user_id=row["owner_user_id"],
            public_work_code=row["public_work_code"],
            author_public_user_code=row["author_public_user_code"],
            author_display_name=row["author_display_name"],
            world_name=row["world_name"],
            subtitle=row["subtitle"],
            summary_text=row["summary_text"],
            cover_image_src=row["cover_image_src"],
            theme_mode=row["theme_mode"],
            playable_npc_count=int(row["playable_npc_count"]),
            landmark_count=int(row["landmark_count"]),
            published_at=utc_time(row["published_at"]),
            updated_at=utc_time(row["updated_at"]),
        )
