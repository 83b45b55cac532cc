"""Streams of events (docs/architecture.md, "Realtime"): numbering and the replayable log.

Not catalog tables: they are the state the realtime rules need (docs/tables.md).
- `realtime_stream_counter`: one row per stream (an AI task, one user's AI tasks, later a
  user's assets, the gallery, …) holding its last sequence. Writers take the next sequence
  with one conditional upsert inside their transaction, so sequences are gap-free and their
  order is the order of commits.
- `realtime_stream_event`: one row per (stream, sequence) naming the domain event it
  numbers (`event_id` in the domain's own event table). Replays after a cursor read it.
"""

from piccolo.columns import BigInt, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class RealtimeStreamCounter(Table, tablename="realtime_stream_counter"):
    stream_key = Varchar(length=128, primary_key=True)
    sequence = BigInt(default=0)
    updated_at = Timestamptz(default=TimestamptzNow())


class RealtimeStreamEvent(Table, tablename="realtime_stream_event"):
    # `{stream_key}#{sequence}`: the pair is the identity of an entry.
    entry_id = Varchar(length=160, primary_key=True)
    stream_key = Varchar(length=128)
    sequence = BigInt()
    event_kind = Varchar(length=48)
    event_id = Varchar(length=64)
    occurred_at = Timestamptz(default=TimestamptzNow())


# Secondary indexes: replays read one stream in sequence order.
INDEXES = {
    ("realtime_stream_event", ("stream_key", "sequence"), True),
}
