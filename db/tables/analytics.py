"""Analytics (docs/domain.md): raw tracking events, daily stats, the business-day dimension.

Catalog tables: tracking_event, tracking_daily_stat, analytics_date_dimension. Days are
Beijing (UTC+8) natural days: `day_key = floor((occurred_at_micros + 8h) / 1 day)`.
"""

from piccolo.columns import JSON, BigInt, Integer, SmallInt, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class AnalyticsDateDimension(Table, tablename="analytics_date_dimension"):
    date_key = BigInt(primary_key=True)
    calendar_date = Varchar(length=10)
    weekday = SmallInt()
    iso_week_key = Integer(index=True)
    week_start_date_key = BigInt()
    week_end_date_key = BigInt()
    month_key = Integer(index=True)
    month_start_date_key = BigInt()
    month_end_date_key = BigInt()
    quarter_key = Integer(index=True)
    quarter_start_date_key = BigInt()
    quarter_end_date_key = BigInt()
    year_key = Integer(index=True)
    year_start_date_key = BigInt()
    year_end_date_key = BigInt()
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class TrackingEvent(Table, tablename="tracking_event"):
    event_id = Varchar(length=64, primary_key=True)
    event_key = Varchar(length=64, index=True)
    scope_kind = Varchar(length=16)
    scope_id = Varchar(length=128)
    day_key = BigInt()
    user_id = Varchar(length=64, null=True, default=None)
    owner_user_id = Varchar(length=64, null=True, default=None)
    profile_id = Varchar(length=64, null=True, default=None)
    module_key = Varchar(length=64, null=True, default=None)
    metadata_json = JSON(default={})
    occurred_at = Timestamptz(default=TimestamptzNow())


class TrackingDailyStat(Table, tablename="tracking_daily_stat"):
    # `{event_key}|{scope_kind}|{scope_id}|{day_key}`: one row per (key, scope, day).
    stat_id = Varchar(length=256, primary_key=True)
    event_key = Varchar(length=64)
    scope_kind = Varchar(length=16)
    scope_id = Varchar(length=128)
    day_key = BigInt()
    # The catalog's `count` column (`Table.count()` is a Piccolo method: another Python name).
    occurrence_count = Integer(default=0, db_column_name="count")
    first_occurred_at = Timestamptz(default=TimestamptzNow())
    last_occurred_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


# Secondary indexes (catalog: analytics_date_dimension iso_week_key, month_key, quarter_key,
# year_key; tracking_event event_key, (scope_kind, scope_id), (user_id, occurred_at);
# tracking_daily_stat (event_key, day_key), (scope_kind, scope_id, day_key)). Composite ones
# are created in migrations with raw SQL.
INDEXES = {
    ("analytics_date_dimension", ("iso_week_key",), False),
    ("analytics_date_dimension", ("month_key",), False),
    ("analytics_date_dimension", ("quarter_key",), False),
    ("analytics_date_dimension", ("year_key",), False),
    ("tracking_event", ("event_key",), False),
    ("tracking_event", ("scope_kind", "scope_id"), False),
    ("tracking_event", ("user_id", "occurred_at"), False),
    ("tracking_daily_stat", ("event_key", "day_key"), False),
    ("tracking_daily_stat", ("scope_kind", "scope_id", "day_key"), False),
}
