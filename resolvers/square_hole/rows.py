"""Typed rows the schema reads from the square hole: the creation session
(`square_hole_agent_session`) and the work (`square_hole_work_profile`). Each is built in
`from_row` from a select (`load_json=True`) or a row an UPDATE/INSERT … RETURNING gave
(JSON columns and, on SQLite, times may come back as text)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from resolvers.creation.rows import CreationSessionRow
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.play_types.works import may_read
from resolvers.runs.rows import json_value, optional_utc_time, utc_time
from resolvers.square_hole.drafts import SquareHoleConfig, stored_config
from resolvers.square_hole.model import SquareHoleStage


@dataclass(frozen=True, slots=True)
class SquareHoleSessionRow:
    """A square-hole creation session: the part every creation session shares, the stage,
    the draft as stored (a JSON document) and the game data saved with it, typed."""

    shared: CreationSessionRow
    owner_user_id: str
    stage: SquareHoleStage
    config: SquareHoleConfig
    draft_json: Any
    published_profile_id: str | None

    @property
    def session_id(self) -> str:
        return self.shared.session_id

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> SquareHoleSessionRow:
        return cls(
            shared=CreationSessionRow.from_row(row),
            owner_user_id=row["owner_user_id"],
            stage=SquareHoleStage(row["stage"]),
            config=stored_config(json_value(row["config_json"])),
            draft_json=json_value(row["draft_json"]),
            published_profile_id=row["published_profile_id"],
        )


@dataclass(frozen=True, slots=True)
class SquareHoleWorkRow:
    """A square-hole work (`square_hole_work_profile`): its card and its publication, and
    its game data twice: `config_json` as stored (runs copy it into their snapshot) and
    `config` typed (what the graph shows)."""

    profile_id: str
    work_id: str
    owner_user_id: str
    source_session_id: str | None
    author_display_name: str
    game_name: str
    theme_text: str
    twist_rule: str
    summary_text: str
    tags_json: list[str]
    cover_image_src: str | None
    cover_asset_id: str | None
    shape_count: int
    difficulty: int
    config_json: dict[str, Any]
    config: SquareHoleConfig
    publication_status: WorkPublicationStatus
    play_count: int
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    public_work_code: str | None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> SquareHoleWorkRow:
        config = dict(json_value(row["config_json"]) or {})
        return cls(
            profile_id=row["profile_id"],
            work_id=row["work_id"],
            owner_user_id=row["owner_user_id"],
            source_session_id=row["source_session_id"],
            author_display_name=row["author_display_name"],
            game_name=row["game_name"],
            theme_text=row["theme_text"],
            twist_rule=row["twist_rule"],
            summary_text=row["summary_text"],
            tags_json=list(json_value(row["tags_json"]) or []),
            cover_image_src=row["cover_image_src"],
            cover_asset_id=row["cover_asset_id"],
            shape_count=int(row["shape_count"]),
            difficulty=int(row["difficulty"]),
            config_json=config,
            config=stored_config(config),
            publication_status=WorkPublicationStatus(row["publication_status"]),
            play_count=int(row["play_count"]),
            created_at=utc_time(row["created_at"]),
            updated_at=utc_time(row["updated_at"]),
            published_at=optional_utc_time(row["published_at"]),
            public_work_code=row["public_work_code"],
        )

    def visible_to(self, user_id: str | None) -> bool:
        """Published, or the user's own (the play types' one rule, `may_read`)."""
        return may_read(
            publication_status=self.publication_status,
            owner_user_id=self.owner_user_id,
            user_id=user_id,
        )
