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
from piccolo.querystring import QueryString

from db.tables.gallery import GalleryPublicWork
from resolvers.auth.store.fragments import AUTHOR_COLUMNS, user_join
from resolvers.errors import BadUserInput
from resolvers.gallery.hot import ensure_hot_window
from resolvers.gallery.model import GalleryOrder
from resolvers.gallery.play_types import PlayType
from resolvers.gallery.reading import WORK_COLUMNS
from resolvers.gallery.rows import GalleryWorkRow
from resolvers.pagination import Page, decode_cursor, page_size

_SORT_COLUMNS = {
    GalleryOrder.NEWEST: ("g.published_at", "g.entry_id"),
    GalleryOrder.MOST_LIKED: ("g.like_count", "g.published_at", "g.entry_id"),
    GalleryOrder.HOT: ("g.plays_7d", "g.published_at", "g.entry_id"),
}
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
    engine = GalleryPublicWork._meta.db
    rows: list[dict[str, Any]] = engine.transform_response_to_dicts(feed.items)
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
    directly, schema/plan/feed.py). Piccolo's cheapest path: the engine runs the statement
    (in the task's transaction if any), no query object, no copy of the rows."""
    size = page_size(first)
    order = GalleryOrder(order)
    cursor = _cursor_values(order, after) if after else None
    shown = [PlayType(value) for value in play_types]
    if play_type is not None:
        shown = [value for value in shown if value is PlayType(play_type)]
    if not shown:
        return FeedRows(rows=[], size=size, order=order)
    await ensure_hot_window(now)
    arguments: list[Any] = []
    columns = f"{WORK_COLUMNS}, {AUTHOR_COLUMNS}"
    joins = user_join("g.owner_user_id")
    if viewer_user_id is not None:
        columns += ", (l.like_id IS NOT NULL) AS viewer_has_liked"
        joins += " LEFT JOIN public_work_like l ON l.like_id = g.entry_id || ':' || {}"
        arguments.append(viewer_user_id)
    conditions = [f"g.play_type IN ({', '.join('{}' for _ in shown)})"]
    arguments += [value.value for value in shown]
    if theme is not None:
        conditions.append("g.theme = {}")
        arguments.append(theme)
    sort = _SORT_COLUMNS[order]
    if cursor is not None:
        conditions.append(f"({', '.join(sort)}) < ({', '.join('{}' for _ in sort)})")
        arguments += cursor
    statement = QueryString(
        f"SELECT {columns} FROM gallery_public_work g {joins} "
        f"WHERE {' AND '.join(conditions)} "
        f"ORDER BY {', '.join(f'{column} DESC' for column in sort)} LIMIT {size + 1}",
        *arguments,
    )
    rows = await GalleryPublicWork._meta.db.run_querystring(statement)
    return FeedRows(rows=rows or [], size=size, order=order)
