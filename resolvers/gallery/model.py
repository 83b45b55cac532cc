"""Names and small pure helpers of the gallery: keys, kinds, orders, Beijing days."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from resolvers.analytics.calendar import day_key_of
from resolvers.gallery.play_types import PlayType

# The public stream of gallery changes (subscriptions/streams.py).
GALLERY_STREAM = "gallery"
# "Hot" counts plays over this many Beijing days, today included.
HOT_WINDOW_DAYS = 7

MAX_TITLE_LENGTH = 200
MAX_SUMMARY_LENGTH = 2000
MAX_THEME_LENGTH = 64
MAX_TAGS = 20
MAX_TAG_LENGTH = 32
MAX_WORK_ID_LENGTH = 128


class WorkPublicationStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class GalleryChangeKind(StrEnum):
    PUBLISHED = "published"
    UPDATED = "updated"
    UNPUBLISHED = "unpublished"
    LIKE_COUNT_CHANGED = "like_count_changed"


class GalleryOrder(StrEnum):
    HOT = "hot"
    NEWEST = "newest"
    MOST_LIKED = "most_liked"


def entry_key(play_type: PlayType | str, work_id: str) -> str:
    """Primary key of a work's read-model row: `{play_type}:{work_id}`."""
    known = _PLAY_TYPE_VALUES.get(play_type)
    return f"{known if known is not None else PlayType(play_type).value}:{work_id}"


# A play type's value by member or value, without Enum.__call__ (hot in feeds).
_PLAY_TYPE_VALUES: dict[str, str] = {member.value: member.value for member in PlayType}


def like_key(play_type: PlayType | str, work_id: str, user_id: str) -> str:
    """`public_work_like.like_id`: one like per (user, work), settled by the key."""
    return f"{entry_key(play_type, work_id)}:{user_id}"


def stat_key(play_type: PlayType | str, work_id: str, day: int) -> str:
    """`public_work_play_daily_stat.stat_id`: one row per (work, Beijing day)."""
    return f"{entry_key(play_type, work_id)}:{day}"


def utc(moment: datetime) -> datetime:
    """Aware UTC (stored times are compared as UTC on both engines)."""
    if moment.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return moment.astimezone(UTC)


def beijing_day(moment: datetime) -> int:
    """`floor((epoch_micros + 8h) / 1 day)`, the catalog's day key."""
    return day_key_of(moment)


def hot_window_start(day: int) -> int:
    """First day of the hot window ending `day` (inclusive)."""
    return day - (HOT_WINDOW_DAYS - 1)
