"""The gallery's plan: the feed's rows shaped straight into the response.

No `Work`, `User`, `Edge` or `Connection` object is built: the plan generates, for each
registered play type, a function from a feed row to the selected fields of that type
(`schema/plan/rows.py`, compiled by `schema/plan/objects.py`), with the values
`Work.gallery_fields` would give:

- `id` (`<TypeName>:<workId>` in base64), `playType` and `publicationStatus` (constants
  per type: the feed shows published works), the plain columns as they come;
- `coverUrl` through the type's cover rule (`gallery_cover`, a function of the source);
- `tags` from the stored JSON; `playCount` and `likeCount` as ints;
- `plays7d` as stored when exact today, else through the operation's loader;
- `viewerHasLiked` from the joined like (false for anonymous callers);
- `author` from the joined public columns, or through the loader when the row has no
  author (an account gone: null, as the executor says).

Values the executor would load are loaded through the same `GalleryLoaders`, lazily, so
statements are those of the executor. Cursors are computed only where selected. A play type
whose `from_gallery_row` is its own (it builds fields of its own) makes the gallery take
the object plan instead (schema/plan/roots.py), and every field read must be in the
allow-list and plain, as for any plan.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from graphql import (
    FieldNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLOutputType,
)

from resolvers import clock
from resolvers.gallery.feed import FeedRows, feed_rows
from resolvers.gallery.model import GalleryOrder
from resolvers.gallery.play_types import PlayType
from schema import cache_notes
from schema.context import Context
from schema.gallery.work import Work, registered_work_types
from schema.plan.objects import Pending, Shaper
from schema.plan.rows import (
    RowPage,
    checked,
    list_item,
    object_type,
    selection_sets,
    unwrapped,
    work_play_type,
    work_shaper,
)
from schema.plan.shaping import Compiler, Unplannable

RowShaper = Callable[[Any, Pending, "FeedPage"], Any]


class FeedPage(RowPage):
    """A gallery page as the plan reads it: the rows, and what loading needs."""

    __slots__ = ("rows",)

    def __init__(self, rows: FeedRows, viewer: str | None, now: datetime) -> None:
        super().__init__(viewer, now)
        self.rows = rows


async def gallery_rows(context: Context, arguments: dict[str, Any]) -> FeedPage:
    """The `gallery` field's page as rows (what `gallery_connection` reads)."""
    play_type = arguments.get("playType")
    viewer = context.principal.user_id
    now = clock.now()
    order = GalleryOrder(arguments["order"])
    rows = await feed_rows(
        viewer_user_id=viewer,
        play_types=[work_play_type(cls) for cls in registered_work_types()],
        play_type=PlayType(play_type) if play_type is not None else None,
        theme=arguments.get("theme"),
        order=order,
        first=arguments.get("first"),
        after=arguments.get("after"),
        now=now,
    )
    cache_notes.note_works(
        (row["entry_id"] for row in rows.items), complete=order != GalleryOrder.MOST_LIKED
    )
    return FeedPage(rows, viewer, now)


def compile_feed(compiler: Compiler, field: GraphQLField, nodes: list[FieldNode]) -> Shaper:
    """The shaper of a `FeedPage` for the `gallery` field selected by `nodes`."""
    for cls in registered_work_types():
        if cls.from_gallery_row.__func__ is not Work.from_gallery_row.__func__:  # type: ignore[attr-defined]
            raise Unplannable(f"{cls.__name__} builds its own feed items")
    connection = object_type(field.type)
    parts: list[tuple[str, str, Any]] = []
    for key, field_nodes in compiler.collect(connection, selection_sets(nodes)).items():
        name = checked(connection, field_nodes)
        if name == "__typename":
            parts.append((key, "constant", connection.name))
        elif name in ("edges", "nodes"):
            item_type = list_item(connection.fields[name].type)
            if name == "edges":
                parts.append((key, name, _edge(compiler, item_type, field_nodes)))
            else:
                parts.append((key, name, _node(compiler, item_type, field_nodes)))
        elif name == "pageInfo":
            parts.append((key, name, _page_info(compiler, connection, field_nodes)))
        else:
            raise Unplannable(f"{connection.name}.{name}")

    registered = frozenset(work_play_type(cls).value for cls in registered_work_types())

    def shape(page: FeedPage, pending: Pending) -> Any:
        items = page.rows.items
        shown = [row for row in items if row["play_type"] in registered]
        out: dict[str, Any] = {}
        for key, kind, part in parts:
            if kind == "constant":
                out[key] = part
            elif kind == "pageInfo":
                out[key] = part(page, items)
            else:
                out[key] = [part(row, pending, page) for row in shown]
        return out

    return shape


def _edge(compiler: Compiler, gql_type: GraphQLOutputType, nodes: list[FieldNode]) -> RowShaper:
    edge = object_type(gql_type)
    parts: list[tuple[str, str, Any]] = []
    for key, field_nodes in compiler.collect(edge, selection_sets(nodes)).items():
        name = checked(edge, field_nodes)
        if name == "__typename":
            parts.append((key, "constant", edge.name))
        elif name == "cursor":
            parts.append((key, name, None))
        elif name == "node":
            parts.append((key, name, _node(compiler, edge.fields[name].type, field_nodes)))
        else:
            raise Unplannable(f"{edge.name}.{name}")

    def shape(row: Any, pending: Pending, page: FeedPage) -> Any:
        out: dict[str, Any] = {}
        for key, kind, part in parts:
            if kind == "constant":
                out[key] = part
            elif kind == "cursor":
                out[key] = page.rows.cursor(row)
            else:
                out[key] = part(row, pending, page)
        return out

    return shape


def _page_info(
    compiler: Compiler, connection: GraphQLObjectType, nodes: list[FieldNode]
) -> Callable[[FeedPage, Any], Any]:
    info = object_type(connection.fields["pageInfo"].type)
    parts: list[tuple[str, str]] = []
    for key, field_nodes in compiler.collect(info, selection_sets(nodes)).items():
        name = checked(info, field_nodes)
        if name not in ("__typename", "hasNextPage", "endCursor"):
            raise Unplannable(f"{info.name}.{name}")
        parts.append((key, name))

    def shape(page: FeedPage, items: Any) -> Any:
        out: dict[str, Any] = {}
        for key, name in parts:
            if name == "__typename":
                out[key] = info.name
            elif name == "hasNextPage":
                out[key] = page.rows.has_next_page
            else:
                out[key] = page.rows.cursor(items[-1]) if items else None
        return out

    return shape


def _node(compiler: Compiler, gql_type: GraphQLOutputType, nodes: list[FieldNode]) -> RowShaper:
    """A `Work` from a row: the row shaper of the row's play type."""
    work = unwrapped(gql_type)
    if not isinstance(work, GraphQLInterfaceType) or work.name != "Work":
        raise Unplannable(f"type {gql_type}")
    by_play_type: dict[str, Any] = {}  # row shapers (schema/plan/rows.py)
    for cls in registered_work_types():
        name = cls.__strawberry_definition__.name  # type: ignore[attr-defined]
        concrete = compiler.schema.get_type(name)
        if not isinstance(concrete, GraphQLObjectType):
            raise Unplannable(f"type {name}")
        by_play_type[work_play_type(cls).value] = work_shaper(
            compiler, concrete, cls, selection_sets(nodes)
        )

    def node(row: Any, pending: Pending, page: FeedPage) -> Any:
        return by_play_type[row["play_type"]](row, pending, page)

    return node
