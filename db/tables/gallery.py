"""The public gallery (docs/domain.md): likes, daily plays, and the cross-type read model.

Catalog tables: public_work_play_daily_stat, public_work_like. Additions (docs/tables.md):
- `gallery_public_work`: one row per published work of any play type, keyed
  `{play_type}:{work_id}`, holding what the feed shows and sorts by (counts, 7-day plays).
  Written in the same transaction as publish, unpublish, like and play.
- `gallery_change_event`: the events of the public `gallery` stream (published, updated,
  unpublished, like count changed), numbered by `realtime_stream_event`.

Ids are deterministic so races are settled by the primary key:
`public_work_like.like_id = {source_type}:{profile_id}:{user_id}`,
`public_work_play_daily_stat.stat_id = {source_type}:{profile_id}:{played_day}`.
(`profile_id` is the play type's work id.)
"""

from piccolo.columns import JSON, BigInt, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class PublicWorkPlayDailyStat(Table, tablename="public_work_play_daily_stat"):
    stat_id = Varchar(length=200, primary_key=True)
    source_type = Varchar(length=32)
    owner_user_id = Varchar(length=64)
    profile_id = Varchar(length=128)
    # Beijing day: floor((epoch_micros + 8h) / 1 day).
    played_day = BigInt()
    play_count = BigInt(default=0)
    updated_at = Timestamptz(default=TimestamptzNow())


class PublicWorkLike(Table, tablename="public_work_like"):
    like_id = Varchar(length=230, primary_key=True)
    source_type = Varchar(length=32)
    owner_user_id = Varchar(length=64)
    profile_id = Varchar(length=128)
    user_id = Varchar(length=64, index=True)
    liked_at = Timestamptz(default=TimestamptzNow())


class GalleryPublicWork(Table, tablename="gallery_public_work"):
    """A published work as the feed shows it (one row per published work)."""

    entry_id = Varchar(length=170, primary_key=True)
    play_type = Varchar(length=32, index=True)
    work_id = Varchar(length=128)
    owner_user_id = Varchar(length=64, index=True)
    title = Varchar(length=200)
    summary = Text(default="")
    cover_image_src = Text(null=True, default=None)
    theme = Varchar(length=64, null=True, default=None, index=True)
    tags_json = JSON(default=[])
    published_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    play_count = BigInt(default=0)
    like_count = BigInt(default=0)
    # Plays over the 7 Beijing days ending `plays_7d_day` (the "hot" sort key). Exact while
    # `plays_7d_day` is today; the daily roll (resolvers/gallery/hot.py) moves the window.
    plays_7d = BigInt(default=0)
    plays_7d_day = BigInt(default=0)


class GalleryChangeEvent(Table, tablename="gallery_change_event"):
    """One change of the public gallery, numbered in the `gallery` stream."""

    event_id = Varchar(length=64, primary_key=True)
    event_kind = Varchar(length=32)
    play_type = Varchar(length=32)
    work_id = Varchar(length=128)
    like_count = BigInt(null=True, default=None)
    occurred_at = Timestamptz(default=TimestamptzNow())


# Secondary indexes. Catalog: public_work_play_daily_stat (source_type, profile_id,
# played_day); public_work_like (source_type, profile_id), user_id. Read model: one per feed
# ordering (keyset scans), play type, theme, owner, and (play_type, work_id).
INDEXES = {
    ("public_work_play_daily_stat", ("source_type", "profile_id", "played_day"), False),
    ("public_work_like", ("source_type", "profile_id"), False),
    ("public_work_like", ("user_id",), False),
    ("gallery_public_work", ("play_type",), False),
    ("gallery_public_work", ("owner_user_id",), False),
    ("gallery_public_work", ("theme",), False),
    ("gallery_public_work", ("play_type", "work_id"), True),
    ("gallery_public_work", ("published_at", "entry_id"), False),
    ("gallery_public_work", ("like_count", "published_at", "entry_id"), False),
    ("gallery_public_work", ("plays_7d", "published_at", "entry_id"), False),
}
