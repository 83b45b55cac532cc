"""Typed rows the schema reads from big fish's creation side: the session that is its work
(`big_fish_creation_session`), its asset slots and its gate events. Each is built in
`from_row` from a select (`load_json=True`) or a raw statement (JSON columns and, on
SQLite, times may come back as text). Runs are in run_rows.py."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from resolvers.big_fish.model import (
    BigFishAssetKind,
    BigFishAssetStatus,
    BigFishBlockerCode,
    BigFishCreationStage,
    BigFishEventKind,
)
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.play_types.gates import Blocker
from resolvers.play_types.works import may_read
from resolvers.runs.rows import json_value, optional_utc_time, utc_time


@dataclass(frozen=True, slots=True)
class BigFishWorkRow:
    """A big-fish creation session, which is also its work: there is no separate work
    profile, so the work's id (`profile_id`) and its source session are the session id.
    `draft_json`, `anchor_pack_json` and `asset_coverage_json` stay JSON documents."""

    session_id: str
    owner_user_id: str
    seed_text: str
    current_turn: int
    progress_percent: int
    stage: BigFishCreationStage
    anchor_pack_json: Any
    draft_json: Any
    asset_coverage_json: Any
    last_assistant_reply: str | None
    publish_ready: bool
    play_count: int
    created_at: datetime
    updated_at: datetime
    publication_status: WorkPublicationStatus
    public_work_code: str | None
    cover_asset_id: str | None
    cover_image_src: str | None
    published_at: datetime | None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> BigFishWorkRow:
        return cls(
            session_id=row["session_id"],
            owner_user_id=row["owner_user_id"],
            seed_text=row["seed_text"],
            current_turn=int(row["current_turn"]),
            progress_percent=int(row["progress_percent"]),
            stage=BigFishCreationStage(row["stage"]),
            anchor_pack_json=json_value(row["anchor_pack_json"]),
            draft_json=json_value(row["draft_json"]),
            asset_coverage_json=json_value(row["asset_coverage_json"]),
            last_assistant_reply=row["last_assistant_reply"],
            # SQLite stores booleans as integers.
            publish_ready=bool(row["publish_ready"]),
            play_count=int(row["play_count"]),
            created_at=utc_time(row["created_at"]),
            updated_at=utc_time(row["updated_at"]),
            publication_status=WorkPublicationStatus(row["publication_status"]),
            public_work_code=row["public_work_code"],
            cover_asset_id=row["cover_asset_id"],
            cover_image_src=row["cover_image_src"],
            published_at=optional_utc_time(row["published_at"]),
        )

    @property
    def profile_id(self) -> str:
        """The work's id (`works.WorkRow`): the session id."""
        return self.session_id

    @property
    def source_session_id(self) -> str:
        """The session the work comes from (`works.WorkRow`): itself."""
        return self.session_id

    # The work's card, read from the draft as stored (any JSON: the lenient reads keep
    # a card for a draft the typed model would refuse).
    def _draft(self) -> Mapping[str, Any]:
        return self.draft_json if isinstance(self.draft_json, Mapping) else {}

    @property
    def title(self) -> str:
        return str(self._draft().get("title") or "")

    @property
    def summary(self) -> str:
        return str(self._draft().get("description") or "")

    @property
    def theme(self) -> str | None:
        theme = self._draft().get("theme")
        return str(theme) if theme else None

    @property
    def tags(self) -> list[str]:
        return list(self._draft().get("tags") or [])

    def visible_to(self, user_id: str | None) -> bool:
        """Published, or the user's own (the play types' one rule, `may_read`)."""
        return may_read(
            publication_status=self.publication_status,
            owner_user_id=self.owner_user_id,
            user_id=user_id,
        )


@dataclass(frozen=True, slots=True)
class BigFishAssetSlotRow:
    """One sprite slot of a work (`big_fish_asset_slot`) as of its last refresh."""

    slot_id: str
    session_id: str
    slot_key: str
    asset_kind: BigFishAssetKind
    level: int | None
    motion_key: str | None
    status: BigFishAssetStatus
    asset_url: str | None
    asset_object_id: str | None
    prompt_snapshot: str
    updated_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> BigFishAssetSlotRow:
        return cls(
            slot_id=row["slot_id"],
            session_id=row["session_id"],
            slot_key=row["slot_key"],
            asset_kind=BigFishAssetKind(row["asset_kind"]),
            level=row["level"],
            motion_key=row["motion_key"],
            status=BigFishAssetStatus(row["status"]),
            asset_url=row["asset_url"],
            asset_object_id=row["asset_object_id"],
            prompt_snapshot=row["prompt_snapshot"],
            updated_at=utc_time(row["updated_at"]),
        )


def stored_blocker(value: Mapping[str, Any]) -> Blocker:
    """A blocker as `Blocker.as_json` stored it in an event's `blockers_json`."""
    return Blocker(
        code=BigFishBlockerCode(value["code"]),
        message=value["message"],
        field=value.get("field"),
        part_id=value.get("partId"),
    )


@dataclass(frozen=True, slots=True)
class BigFishEventRow:
    """One recorded gate evaluation (`big_fish_event`), its blockers read back."""

    event_id: str
    session_id: str
    owner_user_id: str
    event_kind: BigFishEventKind
    publish_ready: bool
    blockers: tuple[Blocker, ...]
    occurred_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> BigFishEventRow:
        return cls(
            event_id=row["event_id"],
            session_id=row["session_id"],
            owner_user_id=row["owner_user_id"],
            event_kind=BigFishEventKind(row["event_kind"]),
            publish_ready=bool(row["publish_ready"]),
            blockers=tuple(stored_blocker(item) for item in json_value(row["blockers_json"]) or []),
            occurred_at=utc_time(row["occurred_at"]),
        )
