"""The reads of the read model: works by key (with their authors) and the feed's page.

The fast path (schema/plan) reads `feed_page_rows` and `work_row_as_stored` as the engine
returns them: one statement through the engine, no query object, no copy of the rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from piccolo.querystring import QueryString

from db.tables.gallery import GalleryPublicWork
from resolvers.auth.store.fragments import AUTHOR_COLUMNS, user_join
from resolvers.gallery.model import GalleryOrder
from resolvers.gallery.play_types import PlayType
from resolvers.gallery.rows import GalleryWorkRow

# The read model's columns as the feed reads them (tags as JSON text, decoded by callers).
WORK_COLUMNS = (
    "g.entry_id, g.play_type, g.work_id, g.owner_user_id, g.title, g.summary, "
    "g.cover_image_src, g.theme, g.tags_json, g.published_at, g.updated_at, g.play_count, "
    "g.like_count, g.plays_7d, g.plays_7d_day"
)
SORT_COLUMNS = {
    GalleryOrder.NEWEST: ("g.published_at", "g.entry_id"),
    GalleryOrder.MOST_LIKED: ("g.like_count", "g.published_at", "g.entry_id"),
    GalleryOrder.HOT: ("g.plays_7d", "g.published_at", "g.entry_id"),
}


def _placeholders(count: int) -> str:
    return ", ".join("{}" for _ in range(count))


async def works_by_keys(keys: Sequence[str]) -> dict[str, GalleryWorkRow]:
    """Published works (read-model rows with their authors) by their distinct keys."""
    # Raw: joins auth's user table through its fragment (another domain, no foreign key).
    rows = await GalleryPublicWork.raw(
        f"SELECT {WORK_COLUMNS}, {AUTHOR_COLUMNS} FROM gallery_public_work g "
        f"{user_join('g.owner_user_id')} "
        f"WHERE g.entry_id IN ({_placeholders(len(keys))})",
        *keys,
    )
    return {row["entry_id"]: GalleryWorkRow.from_row(row) for row in rows}


async def work_row_as_stored(entry_id: str) -> Any | None:
    """One published work's read-model row with its author columns, as the engine returns
    it (the fast path reads it straight: schema/plan/public_work.py), or None. One
    statement through the engine, no query object, no copy of the row."""
    rows = await GalleryPublicWork._meta.db.run_querystring(
        QueryString(
            f"SELECT {WORK_COLUMNS}, {AUTHOR_COLUMNS} FROM gallery_public_work g "
            f"{user_join('g.owner_user_id')} WHERE g.entry_id = {{}}",
            entry_id,
        )
    )
    return rows[0] if rows else None


async def feed_page_rows(
    *,
    viewer_user_id: str | None,
    shown: Sequence[PlayType],
    theme: str | None,
    order: GalleryOrder,
    cursor: Sequence[Any] | None,
    size: int,
) -> Sequence[Any]:
    """The feed's statement: up to `size + 1` published works of the `shown` play types
    (of `theme` when given) after `cursor` in `order`, with their authors and, for a
    signed-in viewer, whether they like them; rows as the engine returns them (asyncpg
    records on PostgreSQL, dicts on SQLite), in the task's transaction if any."""
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
    sort = SORT_COLUMNS[order]
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
    return rows or []


def rows_as_dicts(rows: Sequence[Any]) -> list[dict[str, Any]]:
    """Rows the engine returned (`feed_page_rows`) as dicts."""
    converted: list[dict[str, Any]] = GalleryPublicWork._meta.db.transform_response_to_dicts(rows)
    return converted
