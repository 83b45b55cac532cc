"""Typed rows the schema reads from the gallery: a published work of the read model (with
its author, and the viewer's like when the feed joined it) and a change event."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from resolvers.auth.rows import PublicUserRow
from resolvers.gallery.model import GalleryChangeKind
from resolvers.gallery.play_types import PlayType
from resolvers.runs.rows import utc_time


def exact_plays_7d(plays_7d: Any, plays_7d_day: Any, *, today: int) -> int | None:
    """Stored 7-day plays when they are exact today (else None: ask `plays_7d_of`).

    Exact when computed today (any later play today updates them) or when zero (a play
    since would have recomputed them).
    """
    plays = int(plays_7d)
    if plays == 0 or int(plays_7d_day) == today:
        return plays
    return None


def _tags(stored: Any) -> tuple[str, ...]:
    # Raw statements return the JSON column as text.
    loaded = orjson.loads(stored) if isinstance(stored, str | bytes) else stored
    return tuple(loaded or ())


def _author(row: Mapping[str, Any]) -> PublicUserRow | None:
    # Joined columns are null when the account is gone.
    if row.get("author_display_name") is None:
        return None
    return PublicUserRow(
        user_id=row["owner_user_id"],
        public_user_code=row["author_public_user_code"],
        display_name=row["author_display_name"],
        avatar_url=row["author_avatar_url"],
    )


@dataclass(frozen=True, slots=True)
class GalleryWorkRow:
    """A published work (`gallery_public_work`, `WORK_COLUMNS`) with its author (None: the
    account is gone, or the columns were not joined) and, on feed rows for a signed-in
    viewer, whether they like it (None: not joined)."""

    entry_id: str
    play_type: PlayType
    work_id: str
    owner_user_id: str
    title: str
    summary: str
    cover_image_src: str | None
    theme: str | None
    tags: tuple[str, ...]
    published_at: datetime
    updated_at: datetime
    play_count: int
    like_count: int
    plays_7d: int
    plays_7d_day: int
    author: PublicUserRow | None
    viewer_has_liked: bool | None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> GalleryWorkRow:
        liked = row.get("viewer_has_liked")
        return cls(
            entry_id=row["entry_id"],
            play_type=PlayType(row["play_type"]),
            work_id=row["work_id"],
            owner_user_id=row["owner_user_id"],
            title=row["title"],
            summary=row["summary"],
            cover_image_src=row["cover_image_src"],
            theme=row["theme"],
            tags=_tags(row["tags_json"]),
            published_at=utc_time(row["published_at"]),
            updated_at=utc_time(row["updated_at"]),
            play_count=int(row["play_count"]),
            like_count=int(row["like_count"]),
            plays_7d=int(row["plays_7d"]),
            plays_7d_day=int(row["plays_7d_day"]),
            author=_author(row),
            viewer_has_liked=bool(liked) if liked is not None else None,
        )

    def stored_plays_7d(self, *, today: int) -> int | None:
        """The stored 7-day plays when exact today (`exact_plays_7d`)."""
        return exact_plays_7d(self.plays_7d, self.plays_7d_day, today=today)


@dataclass(frozen=True, slots=True)
class GalleryChangeEventRow:
    """One change of the gallery (`gallery_change_event`)."""

    event_id: str
    event_kind: GalleryChangeKind
    play_type: PlayType
    work_id: str
    like_count: int | None
    occurred_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> GalleryChangeEventRow:
        like_count = row["like_count"]
        return cls(
            event_id=row["event_id"],
            event_kind=GalleryChangeKind(row["event_kind"]),
            play_type=PlayType(row["play_type"]),
            work_id=row["work_id"],
            like_count=int(like_count) if like_count is not None else None,
            occurred_at=utc_time(row["occurred_at"]),
        )
