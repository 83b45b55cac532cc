"""Typed rows the schema reads from the visual-novel domain: the creation session
(`visual_novel_agent_session`), the work (`visual_novel_work_profile`), a run's history
entries and runtime events. Each is built in `from_row` from a select (with or without
`load_json=True`) or an insert's or update's `returning` (JSON columns and, on SQLite,
times may come back as text)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from resolvers.creation.rows import CreationSessionRow
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.play_types.works import may_read
from resolvers.runs.rows import json_value, optional_utc_time, utc_time
from resolvers.visual_novel.model import (
    RuntimeEventKind,
    TurnSource,
    VisualNovelSourceMode,
    VisualNovelStage,
)


@dataclass(frozen=True, slots=True)
class VisualNovelSessionRow:
    """A visual-novel creation session. `draft_json` and `pending_action_json` stay JSON
    documents (the draft as stored, the agent's proposal); `status` is the stage."""

    session_id: str
    owner_user_id: str
    source_mode: VisualNovelSourceMode
    status: VisualNovelStage
    seed_text: str
    source_asset_ids_json: list[str]
    current_turn: int
    progress_percent: int
    draft_json: Any
    pending_action_json: Any
    last_assistant_reply: str | None
    published_profile_id: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> VisualNovelSessionRow:
        return cls(
            session_id=row["session_id"],
            owner_user_id=row["owner_user_id"],
            source_mode=VisualNovelSourceMode(row["source_mode"]),
            status=VisualNovelStage(row["status"]),
            seed_text=row["seed_text"],
            source_asset_ids_json=list(json_value(row["source_asset_ids_json"]) or []),
            current_turn=int(row["current_turn"]),
            progress_percent=int(row["progress_percent"]),
            draft_json=json_value(row["draft_json"]),
            pending_action_json=json_value(row["pending_action_json"]),
            last_assistant_reply=row["last_assistant_reply"],
            published_profile_id=row["published_profile_id"],
            created_at=utc_time(row["created_at"]),
            updated_at=utc_time(row["updated_at"]),
        )

    def creation(self) -> CreationSessionRow:
        """The part every creation session shows (the stage is `status`)."""
        return CreationSessionRow(
            session_id=self.session_id,
            seed_text=self.seed_text,
            stage=self.status.value,
            progress_percent=self.progress_percent,
            current_turn=self.current_turn,
            last_assistant_reply=self.last_assistant_reply,
            created_at=self.created_at,
            updated_at=self.updated_at,
        )


@dataclass(frozen=True, slots=True)
class VisualNovelWorkRow:
    """A visual novel's work (`visual_novel_work_profile`): its card, its publication and,
    in `draft_json`, the published story (a JSON document; a draft's card only)."""

    profile_id: str
    work_id: str
    owner_user_id: str
    source_session_id: str | None
    author_display_name: str
    work_title: str
    work_description: str
    tags_json: list[str]
    cover_image_src: str | None
    source_asset_ids_json: list[str]
    draft_json: Any
    publication_status: WorkPublicationStatus
    publish_ready: bool
    play_count: int
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    public_work_code: str | None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> VisualNovelWorkRow:
        published_at = row["published_at"]
        return cls(
            profile_id=row["profile_id"],
            work_id=row["work_id"],
            owner_user_id=row["owner_user_id"],
            source_session_id=row["source_session_id"],
            author_display_name=row["author_display_name"],
            work_title=row["work_title"],
            work_description=row["work_description"],
            tags_json=list(json_value(row["tags_json"]) or []),
            cover_image_src=row["cover_image_src"],
            source_asset_ids_json=list(json_value(row["source_asset_ids_json"]) or []),
            draft_json=json_value(row["draft_json"]),
            publication_status=WorkPublicationStatus(row["publication_status"]),
            # SQLite stores booleans as integers.
            publish_ready=bool(row["publish_ready"]),
            play_count=int(row["play_count"]),
            created_at=utc_time(row["created_at"]),
            updated_at=utc_time(row["updated_at"]),
            published_at=optional_utc_time(published_at),
            public_work_code=row["public_work_code"],
        )

    def visible_to(self, user_id: str | None) -> bool:
        """Published, or the user's own (the play types' one rule, `may_read`)."""
        return may_read(
            publication_status=self.publication_status,
            owner_user_id=self.owner_user_id,
            user_id=user_id,
        )


@dataclass(frozen=True, slots=True)
class VisualNovelHistoryEntryRow:
    """One applied turn on record (`visual_novel_runtime_history_entry`); `steps_json` is
    the turn's steps as a JSON document."""

    entry_id: str
    run_id: str
    owner_user_id: str
    profile_id: str
    turn_index: int
    source: TurnSource
    action_text: str
    steps_json: Any
    snapshot_before_hash: str
    snapshot_after_hash: str
    created_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> VisualNovelHistoryEntryRow:
        return cls(
            entry_id=row["entry_id"],
            run_id=row["run_id"],
            owner_user_id=row["owner_user_id"],
            profile_id=row["profile_id"],
            turn_index=int(row["turn_index"]),
            source=TurnSource(row["source"]),
            action_text=row["action_text"],
            steps_json=json_value(row["steps_json"]),
            snapshot_before_hash=row["snapshot_before_hash"],
            snapshot_after_hash=row["snapshot_after_hash"],
            created_at=utc_time(row["created_at"]),
        )


@dataclass(frozen=True, slots=True)
class VisualNovelRuntimeEventRow:
    """One event of a run's stream (`visual_novel_runtime_event`); `payload_json` is a JSON
    document."""

    event_id: str
    run_id: str
    owner_user_id: str
    profile_id: str
    event_kind: RuntimeEventKind
    client_event_id: str
    history_entry_id: str
    payload_json: Any
    occurred_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> VisualNovelRuntimeEventRow:
        return cls(
            event_id=row["event_id"],
            run_id=row["run_id"],
            owner_user_id=row["owner_user_id"],
            profile_id=row["profile_id"],
            event_kind=RuntimeEventKind(row["event_kind"]),
            client_event_id=row["client_event_id"],
            history_entry_id=row["history_entry_id"],
            payload_json=json_value(row["payload_json"]),
            occurred_at=utc_time(row["occurred_at"]),
        )
