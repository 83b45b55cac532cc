"""The profile rows handed to the schema: settings, snapshot, visited worlds, save slots,
feedback, played works."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from resolvers.gallery.play_types import PlayType
from resolvers.profile.checks import dumps, loaded


class PlatformTheme(StrEnum):
    LIGHT = "light"
    DARK = "dark"


class BrowseThemeMode(StrEnum):
    LIGHT = "light"
    DARK = "dark"


class FeedbackStatus(StrEnum):
    SUBMITTED = "submitted"


@dataclass(frozen=True, slots=True)
class RuntimeSettings:
    music_volume: float
    platform_theme: PlatformTheme
    stored: bool

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> RuntimeSettings:
        return cls(
            # Stored as REAL (f32 in the catalog): round away float noise on the way out.
            music_volume=round(float(row["music_volume"]), 4),
            platform_theme=PlatformTheme(row["platform_theme"]),
            stored=True,
        )


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The user's one `runtime_snapshot` (resume point), JSON decoded."""

    version: int
    saved_at: datetime
    bottom_tab: str
    game_state: Any
    current_story: Any

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Snapshot:
        return cls(
            version=int(row["version"]),
            saved_at=row["saved_at"],
            bottom_tab=row["bottom_tab"],
            game_state=loaded(row["game_state_json"]),
            current_story=loaded(row["current_story_json"]),
        )


@dataclass(frozen=True, slots=True)
class VisitedWorld:
    """One `user_browse_history` row: a world the user entered."""

    browse_history_id: str
    user_id: str
    owner_user_id: str
    profile_id: str
    world_name: str
    subtitle: str
    summary_text: str
    cover_image_src: str | None
    theme_mode: BrowseThemeMode
    author_display_name: str
    visited_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> VisitedWorld:
        return cls(
            browse_history_id=row["browse_history_id"],
            user_id=row["user_id"],
            owner_user_id=row["owner_user_id"],
            profile_id=row["profile_id"],
            world_name=row["world_name"],
            subtitle=row["subtitle"],
            summary_text=row["summary_text"],
            cover_image_src=row["cover_image_src"],
            theme_mode=BrowseThemeMode(row["theme_mode"]),
            author_display_name=row["author_display_name"],
            visited_at=row["visited_at"],
        )


@dataclass(frozen=True, slots=True)
class ArchiveSlot:
    """One `profile_save_archive` row without its (possibly large) state."""

    archive_id: str
    user_id: str
    world_key: str
    owner_user_id: str | None
    profile_id: str | None
    world_type: str | None
    world_name: str
    subtitle: str
    summary_text: str
    cover_image_src: str | None
    bottom_tab: str
    saved_at: datetime
    created_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> ArchiveSlot:
        return cls(
            archive_id=row["archive_id"],
            user_id=row["user_id"],
            world_key=row["world_key"],
            owner_user_id=row["owner_user_id"],
            profile_id=row["profile_id"],
            world_type=row["world_type"],
            world_name=row["world_name"],
            subtitle=row["subtitle"],
            summary_text=row["summary_text"],
            cover_image_src=row["cover_image_src"],
            bottom_tab=row["bottom_tab"],
            saved_at=row["saved_at"],
            created_at=row["created_at"],
        )


@dataclass(frozen=True, slots=True)
class ArchiveState:
    """What resuming a slot copies into the snapshot: JSON texts as stored."""

    bottom_tab: str
    game_state_json: str
    current_story_json: str | None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> ArchiveState:
        story = row["current_story_json"]
        return cls(
            bottom_tab=row["bottom_tab"],
            game_state_json=_json_text(row["game_state_json"]),
            current_story_json=_json_text(story) if story is not None else None,
        )


def _json_text(value: Any) -> str:
    # Read without load_json, JSON columns come back as their text on both engines.
    return value if isinstance(value, str) else dumps(value)


@dataclass(frozen=True, slots=True)
class EvidenceMeta:
    """Metadata of one evidence image (its data never leaves the database)."""

    index: int
    content_type: str
    byte_size: int
    sha256: str

    @classmethod
    def from_meta(cls, meta: Mapping[str, Any]) -> EvidenceMeta:
        return cls(
            index=int(meta["index"]),
            content_type=str(meta["contentType"]),
            byte_size=int(meta["byteSize"]),
            sha256=str(meta["sha256"]),
        )


@dataclass(frozen=True, slots=True)
class Feedback:
    """One `profile_feedback_submission` with its evidence metadata only."""

    feedback_id: str
    user_id: str
    description: str
    contact_phone: str | None
    status: FeedbackStatus
    evidence: tuple[EvidenceMeta, ...]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Feedback:
        """From a list row, whose `evidence_meta` is the JSON array of metadata."""
        meta = loaded(row["evidence_meta"]) or []
        return cls(
            feedback_id=row["feedback_id"],
            user_id=row["user_id"],
            description=row["description"],
            contact_phone=row["contact_phone"],
            status=FeedbackStatus(row["status"]),
            evidence=tuple(EvidenceMeta.from_meta(item) for item in meta),
            created_at=row["created_at"],
            updated_at=row["updated_at"],
        )


@dataclass(frozen=True, slots=True)
class PlayedWorkRow:
    """A work the user played in PLAY runs (`profile_played_world`)."""

    played_world_id: str
    world_key: str
    world_type: PlayType
    profile_id: str
    world_title: str
    world_subtitle: str
    first_played_at: datetime
    last_played_at: datetime
    last_observed_play_time_ms: int

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> PlayedWorkRow:
        return cls(
            played_world_id=row["played_world_id"],
            world_key=row["world_key"],
            world_type=PlayType(row["world_type"]),
            profile_id=row["profile_id"],
            world_title=row["world_title"],
            world_subtitle=row["world_subtitle"],
            first_played_at=row["first_played_at"],
            last_played_at=row["last_played_at"],
            last_observed_play_time_ms=int(row["last_observed_play_time_ms"]),
        )
