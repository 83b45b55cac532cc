"""Typed rows the schema reads from Match3D: the creation session
(`match3d_agent_session`), the work (`match3d_work_profile`) and the item set of its play
configuration. Each is built in `from_row` from a select (`load_json=True`) or a row an
UPDATE/INSERT … RETURNING gave (JSON columns and, on SQLite, times may come back as text)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from resolvers.creation.rows import CreationSessionRow
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.match3d.model import Match3dStage
from resolvers.play_types.works import may_read
from resolvers.runs.rows import json_value, optional_utc_time, utc_time


@dataclass(frozen=True, slots=True)
class Match3dSetItem:
    """One item of a play configuration's item set (camelCase keys in the JSON): a work's
    `config_json` and a run's `snapshot_json` hold the same shape."""

    item_id: str
    name: str
    count: int
    size: float
    model_src: str | None
    model_object_key: str | None
    cut_image_asset_id: str | None

    @classmethod
    def from_json(cls, item: Mapping[str, Any]) -> Match3dSetItem:
        return cls(
            item_id=str(item["itemId"]),
            name=item.get("name") or "",
            count=int(item["count"]),
            size=float(item.get("size", 1.0)),
            model_src=item.get("modelSrc"),
            model_object_key=item.get("modelObjectKey"),
            cut_image_asset_id=item.get("cutImageAssetId"),
        )


@dataclass(frozen=True, slots=True)
class Match3dConfig:
    """A play configuration (`config_json`, resolvers/match3d/drafts.py `config_json`):
    the item set, the pile's layers and the run's time limit (None: the default)."""

    items: tuple[Match3dSetItem, ...]
    layers: int
    time_limit_seconds: int | None

    @classmethod
    def from_json(cls, value: Any) -> Match3dConfig:
        config = json_value(value) or {}
        limit = config.get("timeLimitSeconds")
        return cls(
            items=tuple(Match3dSetItem.from_json(item) for item in config.get("items") or []),
            layers=int(config.get("layers") or 1),
            time_limit_seconds=int(limit) if limit is not None else None,
        )


@dataclass(frozen=True, slots=True)
class Match3dSessionRow:
    """A Match3D creation session: the part every creation session shares, the stage,
    the draft as stored (a JSON document) and its play configuration (the `config` JSON
    field on the graph)."""

    shared: CreationSessionRow
    owner_user_id: str
    stage: Match3dStage
    config_json: dict[str, Any]
    draft_json: Any
    published_profile_id: str | None

    @property
    def session_id(self) -> str:
        return self.shared.session_id

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Match3dSessionRow:
        return cls(
            shared=CreationSessionRow.from_row(row),
            owner_user_id=row["owner_user_id"],
            stage=Match3dStage(row["stage"]),
            config_json=dict(json_value(row["config_json"]) or {}),
            draft_json=json_value(row["draft_json"]),
            published_profile_id=row["published_profile_id"],
        )


@dataclass(frozen=True, slots=True)
class Match3dWorkRow:
    """A Match3D work (`match3d_work_profile`): its card, its play configuration and its
    publication. `generated_item_assets_json` stays the JSON the item-asset pipeline
    stored."""

    profile_id: str
    owner_user_id: str
    source_session_id: str | None
    author_display_name: str
    game_name: str
    theme_text: str
    summary_text: str
    tags_json: list[str]
    cover_image_src: str | None
    cover_asset_id: str | None
    clear_count: int
    difficulty: int
    config: Match3dConfig
    publication_status: WorkPublicationStatus
    play_count: int
    generated_item_assets_json: Any
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    public_work_code: str | None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Match3dWorkRow:
        return cls(
            profile_id=row["profile_id"],
            owner_user_id=row["owner_user_id"],
            source_session_id=row["source_session_id"],
            author_display_name=row["author_display_name"],
            game_name=row["game_name"],
            theme_text=row["theme_text"],
            summary_text=row["summary_text"],
            tags_json=list(json_value(row["tags_json"]) or []),
            cover_image_src=row["cover_image_src"],
            cover_asset_id=row["cover_asset_id"],
            clear_count=int(row["clear_count"]),
            difficulty=int(row["difficulty"]),
            config=Match3dConfig.from_json(row["config_json"]),
            publication_status=WorkPublicationStatus(row["publication_status"]),
            play_count=int(row["play_count"]),
            generated_item_assets_json=json_value(row["generated_item_assets_json"]),
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
