"""Keyset pagination: opaque cursors over a sort key, never offsets."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

import orjson
from piccolo.columns import Column
from piccolo.columns.combination import Where
from piccolo.table import Table

from resolvers.errors import BadUserInput
from settings import get_settings

T = TypeVar("T")
U = TypeVar("U")
DEFAULT_PAGE_SIZE = 20


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page: items with their cursors, and whether more follow."""

    items: list[T]
    cursors: list[str]
    has_next_page: bool

    def map(self, convert: Callable[[T], U]) -> Page[U]:
        """The same page with each item converted (a stored row into its typed row)."""
        return Page([convert(item) for item in self.items], self.cursors, self.has_next_page)


def encode_cursor(key: list[Any]) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(key)).decode().rstrip("=")


def decode_cursor(cursor: str, *, size: int) -> list[Any]:
    """The sort key inside `cursor`; BAD_USER_INPUT for anything this API did not issue."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = orjson.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, orjson.JSONDecodeError) as error:
        raise BadUserInput("Invalid cursor.") from error
    if not isinstance(key, list) or len(key) != size:
        raise BadUserInput("Invalid cursor.")
    return key


def page_size(first: int | None) -> int:
    """`first` checked against 1..MAX_PAGE_SIZE (100 by default); 20 when absent."""
    limit = get_settings().max_page_size
    if first is None:
        return min(DEFAULT_PAGE_SIZE, limit)
    if not 1 <= first <= limit:
        raise BadUserInput(f"`first` must be between 1 and {limit}.")
    return first


def build_page(rows: list[T], size: int, key: Any) -> Page[T]:
    """Rows fetched with LIMIT size+1 → a page; `key(row)` gives a row's sort key."""
    items = rows[:size]
    return Page(
        items=items,
        cursors=[encode_cursor(key(row)) for row in items],
        has_next_page=len(rows) > size,
    )


async def keyset_page(
    table: type[Table],
    time_column: Column,
    id_column: Column,
    *,
    first: int | None,
    after: str | None,
    where: Any = None,
    columns: tuple[Column, ...] = (),
    load_json: bool = False,
) -> Page[dict[str, Any]]:
    """Rows matching `where`, ordered by (time, id) descending, `first` after `after`."""
    size = page_size(first)
    query = table.select(*columns)
    if where is not None:
        query = query.where(where)
    time_name = time_column._meta.name
    id_name = id_column._meta.name
    if after is not None:
        raw_time, raw_id = decode_cursor(after, size=2)
        try:
            moment = datetime.fromisoformat(str(raw_time))
        except ValueError as error:
            raise BadUserInput("Invalid cursor.") from error
        boundary: Where | Any = (time_column < moment) | (
            (time_column == moment) & (id_column < str(raw_id))
        )
        query = query.where(boundary)
    query = query.order_by(time_column, id_column, ascending=False).limit(size + 1)
    rows = await (query.output(load_json=True) if load_json else query)

    def key(row: dict[str, Any]) -> list[Any]:
        return [row[time_name].isoformat(), row[id_name]]

    return build_page(rows, size, key)
