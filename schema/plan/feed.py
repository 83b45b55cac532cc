"""The gallery's plan: the feed's rows shaped straight into the response.

No `Work`, `User`, `Edge` or `Connection` object is built: the plan generates, for each
registered play type, a function from a feed row to the selected fields of that type
(`schema/plan/objects.py`), with the values `Work.gallery_fields` would give:

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

import binascii
from collections.abc import Callable
from datetime import datetime
from typing import Any

import orjson
from graphql import (
    FieldNode,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    SelectionSetNode,
)
from strawberry.schema.types.base_scalars import isoformat

from resolvers import clock
from resolvers.gallery.feed import FeedRows, feed_rows
from resolvers.gallery.model import GalleryOrder, WorkPublicationStatus, beijing_day, entry_key
from resolvers.gallery.play_types import PlayType
from resolvers.gallery.reading import stored_plays_7d
from schema import public_cache
from schema.context import Context
from schema.gallery.loaders import GalleryLoaders
from schema.gallery.work import (
    Deferred,
    Work,
    load_author,
    play_type_of,
    registered_work_types,
)
from schema.plan.allowlist import allowed
from schema.plan.objects import Field, Pending, Shaper, object_shaper
from schema.plan.shaping import Compiler, Unplannable

RowShaper = Callable[[Any, Pending, "FeedPage"], Any]


class FeedPage:
    """A gallery page as the plan reads it: the rows, and what loading needs."""

    __slots__ = ("_loaders", "now", "rows", "today", "viewer")

    def __init__(self, rows: FeedRows, viewer: str | None, now: datetime) -> None:
        self.rows = rows
        self.viewer = viewer
        self.now = now
        self.today = beijing_day(now)
        self._loaders: GalleryLoaders | None = None

    @property
    def loaders(self) -> GalleryLoaders:
        if self._loaders is None:
            self._loaders = GalleryLoaders(viewer_user_id=self.viewer, now=self.now)
        return self._loaders

    def plays_7d(self, key: str) -> Deferred:
        return Deferred(lambda: self.loaders.plays_7d.load(key))

    def liked(self, key: str) -> Deferred:
        return Deferred(lambda: self.loaders.liked.load(key))

    def author(self, user_id: str) -> Deferred:
        return Deferred(lambda: load_author(self.loaders, user_id))


async def gallery_rows(context: Context, arguments: dict[str, Any]) -> FeedPage:
    """The `gallery` field's page as rows (what `gallery_connection` reads)."""
    play_type = arguments.get("playType")
    viewer = context.principal.user_id
    now = clock.now()
    order = GalleryOrder(arguments["order"])
    rows = await feed_rows(
        viewer_user_id=viewer,
        play_types=[_play_type_of(cls) for cls in registered_work_types()],
        play_type=PlayType(play_type) if play_type is not None else None,
        theme=arguments.get("theme"),
        order=order,
        first=arguments.get("first"),
        after=arguments.get("after"),
        now=now,
    )
    public_cache.note_works(
        (row["entry_id"] for row in rows.items), complete=order != GalleryOrder.MOST_LIKED
    )
    return FeedPage(rows, viewer, now)


def _play_type_of(cls: type[Work]) -> PlayType:
    found = play_type_of(cls)
    assert found is not None
    return found


def _b64(text: str) -> str:
    # strawberry.relay.utils.to_base64, without its f-string and module lookups
    return binascii.b2a_base64(text.encode(), newline=False).decode()


def _tags(stored: Any) -> list[str]:
    return orjson.loads(stored) if isinstance(stored, str | bytes) else list(stored or [])


def compile_feed(compiler: Compiler, field: GraphQLField, nodes: list[FieldNode]) -> Shaper:
    """The shaper of a `FeedPage` for the `gallery` field selected by `nodes`."""
    for cls in registered_work_types():
        if cls.from_gallery_row.__func__ is not Work.from_gallery_row.__func__:  # type: ignore[attr-defined]
            raise Unplannable(f"{cls.__name__} builds its own feed items")
    connection = _object_type(field.type)
    parts: list[tuple[str, str, Any]] = []
    for key, field_nodes in compiler.collect(connection, _sets(nodes)).items():
        name = _checked(connection, field_nodes)
        if name == "__typename":
            parts.append((key, "constant", connection.name))
        elif name in ("edges", "nodes"):
            item_type = _list_item(connection.fields[name].type)
            if name == "edges":
                parts.append((key, name, _edge(compiler, item_type, field_nodes)))
            else:
                parts.append((key, name, _node(compiler, item_type, field_nodes)))
        elif name == "pageInfo":
            parts.append((key, name, _page_info(compiler, connection, field_nodes)))
        else:
            raise Unplannable(f"{connection.name}.{name}")

    registered = frozenset(_play_type_of(cls).value for cls in registered_work_types())

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


def _sets(nodes: list[FieldNode]) -> list[SelectionSetNode]:
    return [node.selection_set for node in nodes if node.selection_set]


def _named(gql_type: GraphQLOutputType) -> GraphQLOutputType:
    return gql_type.of_type if isinstance(gql_type, GraphQLNonNull) else gql_type


def _object_type(gql_type: GraphQLOutputType) -> GraphQLObjectType:
    named = _named(gql_type)
    if not isinstance(named, GraphQLObjectType):
        raise Unplannable(f"type {gql_type}")
    return named


def _list_item(gql_type: GraphQLOutputType) -> GraphQLOutputType:
    named = _named(gql_type)
    if not isinstance(named, GraphQLList):
        raise Unplannable(f"type {gql_type}")
    return _named(named.of_type)


def _checked(gql_type: GraphQLObjectType, nodes: list[FieldNode], *, is_work: bool = False) -> str:
    """The field's name, once it proved to be one a plan may read."""
    name = nodes[0].name.value
    if name == "__typename":
        return name
    field = gql_type.fields.get(name)
    if field is None or any(node.arguments for node in nodes):
        raise Unplannable(f"{gql_type.name}.{name}")
    if not allowed(gql_type.name, name, is_work=is_work):
        raise Unplannable(f"{gql_type.name}.{name} is not in the allow-list")
    definition = field.extensions.get("strawberry-definition")
    if definition is None or definition.permission_classes or definition.extensions:
        raise Unplannable(f"{gql_type.name}.{name} has a permission or an extension")
    return name


def _edge(compiler: Compiler, gql_type: GraphQLOutputType, nodes: list[FieldNode]) -> RowShaper:
    edge = _object_type(gql_type)
    parts: list[tuple[str, str, Any]] = []
    for key, field_nodes in compiler.collect(edge, _sets(nodes)).items():
        name = _checked(edge, field_nodes)
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
    info = _object_type(connection.fields["pageInfo"].type)
    parts: list[tuple[str, str]] = []
    for key, field_nodes in compiler.collect(info, _sets(nodes)).items():
        name = _checked(info, field_nodes)
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
    work = _named(gql_type)
    if not isinstance(work, GraphQLInterfaceType) or work.name != "Work":
        raise Unplannable(f"type {gql_type}")
    by_play_type: dict[str, RowShaper] = {}
    for cls in registered_work_types():
        name = cls.__strawberry_definition__.name  # type: ignore[attr-defined]
        concrete = compiler.schema.get_type(name)
        if not isinstance(concrete, GraphQLObjectType):
            raise Unplannable(f"type {name}")
        by_play_type[_play_type_of(cls).value] = _work(compiler, concrete, cls, _sets(nodes))

    def node(row: Any, pending: Pending, page: FeedPage) -> Any:
        return by_play_type[row["play_type"]](row, pending, page)

    return node


def _work(
    compiler: Compiler,
    gql_type: GraphQLObjectType,
    cls: type[Work],
    selection_sets: list[SelectionSetNode],
) -> RowShaper:
    play_type = _play_type_of(cls)
    env: dict[str, Any] = {
        "b64": _b64,
        "tags": _tags,
        "cover": cls.gallery_cover,
        "plays": stored_plays_7d,
        "key": entry_key,
        "pt": play_type,
        "datetime": datetime,
    }
    fields: list[Field] = []
    for key, nodes in compiler.collect(gql_type, selection_sets).items():
        name = _checked(gql_type, nodes, is_work=True)
        if name == "__typename":
            fields.append(Field(key, _none, constant=gql_type.name))
            continue
        field = gql_type.fields[name]
        shaper = compiler.output(field.type, nodes)
        if name == "playType":
            fields.append(Field(key, _none, constant=shaper(play_type, [])))
        elif name == "publicationStatus":
            published = shaper(WorkPublicationStatus.PUBLISHED, [])
            fields.append(Field(key, _none, constant=published))
        elif name == "author":
            env["author"] = _user(compiler, _object_type(field.type), nodes)
            fields.append(Field(key, shaper, code=_AUTHOR, stores=True))
        elif name == "tags":  # a list of str is what the list's shaper would return
            fields.append(Field(key, shaper, code=_TAGS, stores=True))
        elif name == "publishedAt" and _serialises_isoformat(field.type):
            fields.append(Field(key, shaper, code=_PUBLISHED_AT, stores=True))
        elif name in _WORK_CODE:
            code = _WORK_CODE[name]
            if name == "id":
                code = [f"v = b64({gql_type.name + ':'!r} + value['work_id'])"]
            fields.append(Field(key, shaper, code=code, gql_type=field.type))
        else:
            raise Unplannable(f"{gql_type.name}.{name}")
    return object_shaper(fields, parameters="value, pending, page", env=env)  # type: ignore[return-value]


_WORK_CODE: dict[str, list[str]] = {
    "id": [],  # per type (the type's name)
    "workId": ["v = value['work_id']"],
    "title": ["v = value['title']"],
    "summary": ["v = value['summary']"],
    "coverUrl": ["v = cover(value['cover_image_src'])"],
    "theme": ["v = value['theme']"],
    "playCount": ["v = value['play_count']", "if type(v) is not int:", "    v = int(v)"],
    "likeCount": ["v = value['like_count']", "if type(v) is not int:", "    v = int(v)"],
    "publishedAt": ["v = value['published_at']"],  # when not serialised by isoformat
    "plays7d": [
        "v = plays(value, today=page.today)",
        "if v is None:",
        "    v = page.plays_7d(key(pt, value['work_id']))",
    ],
    "viewerHasLiked": [
        "v = value.get('viewer_has_liked')",
        "if v is not None:",
        "    v = bool(v)",
        "elif page.viewer is not None:",
        "    v = page.liked(key(pt, value['work_id']))",
        "else:",
        "    v = False",
    ],
}

_TAGS = [
    "v = tags(value['tags_json'])",
    "if type(v) is list and all(type(tag) is str for tag in v):",
    "    out[@K] = v",
    "else:",
    "    slow(out, @K, v, @S, pending)",
]
_PUBLISHED_AT = [
    "v = value['published_at']",
    "if type(v) is datetime:",
    "    out[@K] = v.isoformat()",
    "else:",
    "    slow(out, @K, v, @S, pending)",
]


def _serialises_isoformat(gql_type: GraphQLOutputType) -> bool:
    named = _named(gql_type)
    return isinstance(named, GraphQLScalarType) and named.serialize is isoformat


# The joined author (public columns), else the loader's (null when the account is gone).
_AUTHOR = [
    "if value.get('author_display_name') is not None:",
    "    out[@K] = author(value, pending)",
    "else:",
    "    slow(out, @K, page.author(value['owner_user_id']), @S, pending)",
]


def _user(compiler: Compiler, gql_type: GraphQLObjectType, nodes: list[FieldNode]) -> Shaper:
    """A `User` from the feed row's joined author columns."""
    env: dict[str, Any] = {"b64": _b64}
    fields: list[Field] = []
    for key, field_nodes in compiler.collect(gql_type, _sets(nodes)).items():
        name = _checked(gql_type, field_nodes)
        if name == "__typename":
            fields.append(Field(key, _none, constant=gql_type.name))
            continue
        field = gql_type.fields[name]
        code = _USER_CODE.get(name)
        if code is None:
            raise Unplannable(f"{gql_type.name}.{name}")
        if name == "id":  # relay's global id of the author's user id
            code = [f"v = b64({gql_type.name + ':'!r} + value['owner_user_id'])"]
        shaper = compiler.output(field.type, field_nodes)
        fields.append(Field(key, shaper, code=code, gql_type=field.type))
    return object_shaper(fields, env=env)


_USER_CODE: dict[str, list[str]] = {
    "id": [],  # the type's name and the user id
    "publicUserCode": ["v = value['author_public_user_code']"],
    "displayName": ["v = value['author_display_name']"],
    "avatarUrl": ["v = value['author_avatar_url']"],
}


def _none(value: Any, pending: Pending) -> Any:
    return value
