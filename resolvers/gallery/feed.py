"""The gallery feed: one keyset-paged read of the cross-type read model.

One statement returns a page with everything an item shows: the read-model columns, the
author's public columns (joined) and whether the viewer likes it (joined on the like's
primary key). Orders, all descending with the id as the last tie-breaker:
- NEWEST: (published_at, entry_id) — stable: works published while paging sort before
  the cursor, so every earlier work comes exactly once;
- MOST_LIKED: (like_count, published_at, entry_id);
- HOT: (plays_7d, published_at, entry_id), the stored 7-day plays (resolvers/gallery/hot.py).
Counts move while a client pages, so MOST_LIKED and HOT pages are consistent per request,
not across requests (a work whose count changes may move across the cursor).
"""

from __future__ import annotations

import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from resolvers.errors import BadUserInput
from resolvers.gallery.hot import ensure_hot_window
from resolvers.gallery.model import GalleryOrder
from resolvers.gallery.play_types import PlayType
from resolvers.gallery.rows import GalleryWorkRow
from resolvers.gallery.store.reading import feed_page_rows, rows_as_dicts
from resolvers.pagination import Page, decode_cursor, page_size

_COUNT_COLUMN = {GalleryOrder.MOST_LIKED: "like_count", GalleryOrder.HOT: "plays_7d"}
# base64's urlsafe alphabet from the standard one (what base64.urlsafe_b64encode does).
_URLSAFE = bytes.maketrans(b"+/", b"-_")


def _cursor_values(order: GalleryOrder, after: str) -> list[Any]:
    size = 4 if order in _COUNT_COLUMN else 3
    key = decode_cursor(after, size=size)
    if key[0] != order.value:
        raise BadUserInput("This cursor belongs to another order.")
    try:
        values: list[Any] = []
        if order in _COUNT_COLUMN:
            values.append(int(key[1]))
        values.append(datetime.fromisoformat(str(key[-2])))
        values.append(str(key[-1]))
    except (TypeError, ValueError) as error:
        raise BadUserInput("Invalid cursor.") from error
    if values[-2].tzinfo is None:
        raise BadUserInput("Invalid cursor.")
    return values


@dataclass(frozen=True, slots=True)
class FeedRows:
    """A page's rows as the statement returned them (asyncpg records on PostgreSQL, dicts
    on SQLite), fetched with LIMIT size+1; cursors are computed only when asked for."""

    rows: Sequence[Any]
    size: int
    order: GalleryOrder

    @property
    def items(self) -> Sequence[Any]:
        return self.rows[: self.size]

    @property
    def has_next_page(self) -> bool:
        return len(self.rows) > self.size

    def cursor(self, row: Any) -> str:
        """The row's position: `resolvers.pagination.encode_cursor` of its sort key
        (`[order, count?, published_at, entry_id]`), inlined (the same bytes)."""
        order = self.order
        column = _COUNT_COLUMN.get(order)
        if column is None:
            key = [order.value, row["published_at"].isoformat(), row["entry_id"]]
        else:
            key = [order.value, int(row[column]), row["published_at"].isoformat(), row["entry_id"]]
        encoded = binascii.b2a_base64(orjson.dumps(key), newline=False)
        return encoded.translate(_URLSAFE).decode().rstrip("=")


async def gallery_page(
    *,
    viewer_user_id: str | None,
    play_types: list[PlayType],
    play_type: PlayType | None,
    theme: str | None,
    order: GalleryOrder,
    first: int | None,
    after: str | None,
    now: datetime,
) -> Page[GalleryWorkRow]:
    """A page of published works of `play_types` (those with a GraphQL type), filtered by
    play type and theme, in `order`, after the cursor `after`, as rows with their cursors.
    One statement (plus, once a day per process, the hot window's roll)."""
    feed = await feed_rows(
        viewer_user_id=viewer_user_id,
        play_types=play_types,
        play_type=play_type,
        theme=theme,
        order=order,
        first=first,
        after=after,
        now=now,
    )
    rows = rows_as_dicts(feed.items)
    return Page(
        items=[GalleryWorkRow.from_row(row) for row in rows],
        cursors=[feed.cursor(row) for row in rows],
        has_next_page=feed.has_next_page,
    )


async def feed_rows(
    *,
    viewer_user_id: str | None,
    play_types: list[PlayType],
    play_type: PlayType | None,
    theme: str | None,
    order: GalleryOrder,
    first: int | None,
    after: str | None,
    now: datetime,
) -> FeedRows:
    """`gallery_page`'s statement, its rows as they come (the fast path shapes them
    directly, schema/plan/feed.py); the statement is the store's `feed_page_rows`."""
    size = page_size(first)
    order = GalleryOrder(order)
    cursor = _cursor_values(order, after) if after else None
    shown = [PlayType(value) for value in play_types]
    if play_type is not None:
        shown = [value for value in shown if value is PlayType(play_type)]
    if not shown:
        return FeedRows(rows=[], size=size, order=order)
    await ensure_hot_window(now)
    rows = await feed_page_rows(
        viewer_user_id=viewer_user_id,
        shown=shown,
        theme=theme,
        order=order,
        cursor=cursor,
        size=size,
    )
    return FeedRows(rows=rows, size=size, order=order)
