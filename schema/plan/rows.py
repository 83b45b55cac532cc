"""Row shapers: a feed row straight into the selected fields of a `Work` and its author.

For each selected field, the line(s) of Python that compute the value `Work.gallery_fields`
gives it from a read-model row (see schema/plan/feed.py for the whole page), compiled into
one function per play type by `schema/plan/objects.py`.
"""

from __future__ import annotations

import binascii
from collections.abc import Callable
from datetime import datetime
from typing import Any

import orjson
from graphql import (
    FieldNode,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    SelectionSetNode,
)
from strawberry.schema.types.base_scalars import isoformat

from resolvers.gallery.model import WorkPublicationStatus, beijing_day, entry_key
from resolvers.gallery.play_types import PlayType
from resolvers.gallery.reading import stored_plays_7d
from schema.gallery.deferred import Deferred, load_author
from schema.gallery.loaders import GalleryLoaders
from schema.gallery.work import Work, play_type_of
from schema.plan.allowlist import allowed
from schema.plan.objects import Field, Pending, Shaper, object_shaper
from schema.plan.shaping import Compiler, Unplannable

# (row, pending, page): page is the request's `RowPage` (a gallery page: schema/plan/feed.py)
RowShaper = Shaper


class RowPage:
    """What row shapers read besides the row: the viewer, today, and the operation's
    `GalleryLoaders` (made only if a value has to be loaded, as the executor would)."""

    __slots__ = ("_loaders", "now", "today", "viewer")

    def __init__(self, viewer: str | None, now: datetime) -> None:
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


def work_play_type(cls: type[Work]) -> PlayType:
    found = play_type_of(cls)
    assert found is not None
    return found


def _b64(text: str) -> str:
    # strawberry.relay.utils.to_base64, without its f-string and module lookups
    return binascii.b2a_base64(text.encode(), newline=False).decode()


def _tags(stored: Any) -> list[str]:
    return orjson.loads(stored) if isinstance(stored, str | bytes) else list(stored or [])


def selection_sets(nodes: list[FieldNode]) -> list[SelectionSetNode]:
    return [node.selection_set for node in nodes if node.selection_set]


def unwrapped(gql_type: GraphQLOutputType) -> GraphQLOutputType:
    return gql_type.of_type if isinstance(gql_type, GraphQLNonNull) else gql_type


def object_type(gql_type: GraphQLOutputType) -> GraphQLObjectType:
    named = unwrapped(gql_type)
    if not isinstance(named, GraphQLObjectType):
        raise Unplannable(f"type {gql_type}")
    return named


def list_item(gql_type: GraphQLOutputType) -> GraphQLOutputType:
    named = unwrapped(gql_type)
    if not isinstance(named, GraphQLList):
        raise Unplannable(f"type {gql_type}")
    return unwrapped(named.of_type)


def checked(gql_type: GraphQLObjectType, nodes: list[FieldNode], *, is_work: bool = False) -> str:
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


def work_shaper(
    compiler: Compiler,
    gql_type: GraphQLObjectType,
    cls: type[Work],
    selection_sets: list[SelectionSetNode],
    cover: Callable[[Any], str | None] | None = None,
) -> RowShaper:
    """`cover`: the rule turning the row's `cover_image_src` into `coverUrl` (default: the
    type's `gallery_cover`, what feed items show)."""
    play_type = work_play_type(cls)
    env: dict[str, Any] = {
        "b64": _b64,
        "tags": _tags,
        "cover": cover or cls.gallery_cover,
        "plays": stored_plays_7d,
        "key": entry_key,
        "pt": play_type,
        "datetime": datetime,
    }
    fields: list[Field] = []
    for key, nodes in compiler.collect(gql_type, selection_sets).items():
        name = checked(gql_type, nodes, is_work=True)
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
            env["author"] = _user(compiler, object_type(field.type), nodes)
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
    return object_shaper(fields, parameters="value, pending, page", env=env)


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
    named = unwrapped(gql_type)
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
    for key, field_nodes in compiler.collect(gql_type, selection_sets(nodes)).items():
        name = checked(gql_type, field_nodes)
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
