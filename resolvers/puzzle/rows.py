"""Typed rows the schema reads from the puzzle domain: the creation session
(`puzzle_agent_session`), the work (`puzzle_work_profile`) with its levels and anchor
pack, and the events of the owner's stream (`puzzle_event`) and of the leaderboards
(`puzzle_leaderboard_event`). Each is built in `from_row` from a select (`load_json=True`)
or a raw statement (JSON columns and, on SQLite, times may come back as text).
The run state is in resolvers/puzzle/run_state.py."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from resolvers.creation.rows import CreationSessionRow
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.play_types.works import may_read
from resolvers.puzzle.model import PuzzleEventKind, PuzzleStage
from resolvers.runs.rows import json_value, optional_utc_time, utc_time


@dataclass(frozen=True, slots=True)
class PuzzleSessionRow:
    """A puzzle creation session: the part every creation session shares, and the
    puzzle's own columns. `draft_json` (the draft as stored, camelCase keys) and
    `anchor_pack_json` stay JSON documents: the graph shows them as JSON values."""

    shared: CreationSessionRow
    owner_user_id: str
    stage: PuzzleStage
    anchor_pack_json: dict[str, Any]
    draft_json: Any
    published_profile_id: str | None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> PuzzleSessionRow:
        return cls(
            shared=CreationSessionRow.from_row(row),
            owner_user_id=row["owner_user_id"],
            stage=PuzzleStage(row["stage"]),
            anchor_pack_json=dict(json_value(row["anchor_pack_json"]) or {}),
            draft_json=json_value(row["draft_json"]),
            published_profile_id=row["published_profile_id"],
        )

    @property
    def session_id(self) -> str:
        return self.shared.session_id


@dataclass(frozen=True, slots=True)
class PuzzleWorkLevel:
    """One level of a work's `levels_json`: a published work's snapshot (with the image
    published) or a draft work's mirror of its session's draft (no image)."""

    level_id: str
    name: str
    grid_size: int | None
    image_asset_id: str | None

    @classmethod
    def from_json(cls, level: Mapping[str, Any]) -> PuzzleWorkLevel:
        grid_size = level.get("gridSize")
        image = level.get("imageAssetId")
        return cls(
            level_id=str(level["levelId"]),
            name=str(level.get("name") or ""),
            grid_size=grid_size if isinstance(grid_size, int) else None,
            image_asset_id=str(image) if image else None,
        )


@dataclass(frozen=True, slots=True)
class PuzzleAnchorPack:
    """What a creation is anchored on (`anchor_pack_json`: seed, theme, tags)."""

    seed: str
    theme: str
    tags: list[str]

    @classmethod
    def from_json(cls, value: Any) -> PuzzleAnchorPack:
        pack = value if isinstance(value, Mapping) else {}
        return cls(
            seed=str(pack.get("seed") or ""),
            theme=str(pack.get("theme") or ""),
            tags=[str(tag) for tag in pack.get("tags") or []],
        )


@dataclass(frozen=True, slots=True)
class PuzzleWorkRow:
    """A puzzle work (`puzzle_work_profile`): its card, its levels, its publication."""

    profile_id: str
    work_id: str
    owner_user_id: str
    source_session_id: str | None
    author_display_name: str
    work_title: str
    work_description: str
    level_name: str
    summary: str
    theme_tags_json: list[str]
    cover_image_src: str | None
    cover_asset_id: str | None
    levels_json: list[PuzzleWorkLevel]
    publication_status: WorkPublicationStatus
    play_count: int
    anchor_pack_json: PuzzleAnchorPack
    publish_ready: bool
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    public_work_code: str | None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> PuzzleWorkRow:
        return cls(
            profile_id=row["profile_id"],
            work_id=row["work_id"],
            owner_user_id=row["owner_user_id"],
            source_session_id=row["source_session_id"],
            author_display_name=row["author_display_name"],
            work_title=row["work_title"],
            work_description=row["work_description"],
            level_name=row["level_name"],
            summary=row["summary"],
            theme_tags_json=list(json_value(row["theme_tags_json"]) or []),
            cover_image_src=row["cover_image_src"],
            cover_asset_id=row["cover_asset_id"],
            levels_json=[
                PuzzleWorkLevel.from_json(level) for level in json_value(row["levels_json"]) or []
            ],
            publication_status=WorkPublicationStatus(row["publication_status"]),
            play_count=int(row["play_count"]),
            anchor_pack_json=PuzzleAnchorPack.from_json(json_value(row["anchor_pack_json"])),
            # SQLite stores booleans as integers.
            publish_ready=bool(row["publish_ready"]),
            created_at=utc_time(row["created_at"]),
            updated_at=utc_time(row["updated_at"]),
            published_at=optional_utc_time(row["published_at"]),
            public_work_code=row["public_work_code"],
        )

    @property
    def is_published(self) -> bool:
        return self.publication_status is WorkPublicationStatus.PUBLISHED

    def level_ids(self) -> tuple[str, ...]:
        return tuple(level.level_id for level in self.levels_json)

    def visible_to(self, user_id: str | None) -> bool:
        """Published, or the user's own (the play types' one rule, `may_read`)."""
        return may_read(
            publication_status=self.publication_status,
            owner_user_id=self.owner_user_id,
            user_id=user_id,
        )


@dataclass(frozen=True, slots=True)
class PuzzleEventRow:
    """One event of the owner's puzzle stream (`puzzle_event`)."""

    event_id: str
    profile_id: str
    work_id: str
    session_id: str | None
    owner_user_id: str
    event_kind: PuzzleEventKind
    occurred_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> PuzzleEventRow:
        return cls(
            event_id=row["event_id"],
            profile_id=row["profile_id"],
            work_id=row["work_id"],
            session_id=row["session_id"],
            owner_user_id=row["owner_user_id"],
            event_kind=PuzzleEventKind(row["event_kind"]),
            occurred_at=utc_time(row["occurred_at"]),
        )


@dataclass(frozen=True, slots=True)
class PuzzleLeaderboardEventRow:
    """One improvement of a board's stream (`puzzle_leaderboard_event`): the player's new
    best time and their rank when it was recorded."""

    event_id: str
    profile_id: str
    grid_size: int
    user_id: str
    nickname: str
    best_elapsed_ms: int
    rank: int
    run_id: str
    occurred_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> PuzzleLeaderboardEventRow:
        return cls(
            event_id=row["event_id"],
            profile_id=row["profile_id"],
            grid_size=int(row["grid_size"]),
            user_id=row["user_id"],
            nickname=row["nickname"],
            best_elapsed_ms=int(row["best_elapsed_ms"]),
            rank=int(row["rank"]),
            run_id=row["run_id"],
            occurred_at=utc_time(row["occurred_at"]),
        )


@dataclass(frozen=True, slots=True)
class WorkCard:
    """The profile columns a draft determines (JSON columns as Python values, as written)."""

    work_title: str
    work_description: str
    level_name: str
    summary: str
    theme_tags_json: list[str]
    levels_json: list[dict[str, Any]]
    anchor_pack_json: dict[str, Any]
