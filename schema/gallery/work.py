"""The `Work` interface every play type's work implements, and the registry of those types.

A play type declares its concrete type (`PuzzleWork`, `CustomWorldWork`, …) as a
`@strawberry.type` subclassing `Work`, adds its own fields, and is listed in
`schema/play_types.py` (`WORK_TYPES`), which `build_schema` installs here with
`register_work_type`.

The gallery then builds feed items from read-model rows with
`cls.from_gallery_row(row, loaders)` (override it to add your own fields; start from
`Work.gallery_fields(row, loaders)`). Works built from a play type's own tables (drafts, the
viewer's works) use `Work.work_fields(...)`. Authors, 7-day plays and `viewerHasLiked` come
from the row when it carries them (the feed joins them), otherwise from the per-operation
`GalleryLoaders`: one statement per kind of data for a whole list, never one per item.

Every `Work` is a relay `Node`: its global id names the concrete type and the work id, and
`node(id:)` finds published works through `resolve_nodes` (override it to also serve, say,
a draft to its owner).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, TypeVar

import strawberry
from strawberry import relay
from strawberry.relay.utils import to_base64

from resolvers.gallery.model import WorkPublicationStatus, entry_key
from resolvers.gallery.play_types import PlayType
from resolvers.gallery.reading import works_by_keys
from resolvers.gallery.rows import GalleryWorkRow
from schema.auth.user import User
from schema.context import Info
from schema.gallery.deferred import Deferred, load_author
from schema.gallery.loaders import GalleryLoaders
from schema.ids import object_id

strawberry.enum(
    PlayType,
    description="The kind of game a work is: CUSTOM_WORLD, PUZZLE, MATCH3D, SQUARE_HOLE, "
    "VISUAL_NOVEL, BIG_FISH.",
)
strawberry.enum(
    WorkPublicationStatus,
    description="DRAFT: only its author sees it. PUBLISHED: in the public gallery.",
)

W = TypeVar("W", bound="Work")


@strawberry.interface(
    description="A work of any play type (custom world, puzzle, …): what the gallery shows. "
    "Each play type's concrete type adds its own fields."
)
class Work(relay.Node):
    # The work id inside the global id (`<TypeName>:<workId>`); exposed as `workId`.
    node_work_id: relay.NodeID[str]
    # Node's `id`, computed once at construction (see __post_init__): a plain attribute
    # instead of relay's per-item resolver. Same value, so `node(id:)` finds it.
    _id: strawberry.ID = strawberry.field(
        name="id", description="Global id of this work (for `node(id:)`).", default=None
    )
    play_type: PlayType = strawberry.field(description="The play type of this work.")
    work_id: strawberry.ID = strawberry.field(
        description="The work's id within its play type (the catalog's profile id)."
    )
    title: str = strawberry.field(description="Title, 1 to 200 characters.")
    summary: str = strawberry.field(description="Short description, up to 2000 characters.")
    cover_url: str | None = strawberry.field(description="Cover image URL, if it has one.")
    theme: str | None = strawberry.field(
        description="Theme the gallery filters by (up to 64 characters), if any."
    )
    tags: list[str] = strawberry.field(description="Tags, at most 20 of up to 32 characters.")
    publication_status: WorkPublicationStatus = strawberry.field(
        description="DRAFT or PUBLISHED; gallery items are always PUBLISHED."
    )
    play_count: int = strawberry.field(description="Plays since it was first published.")
    like_count: int = strawberry.field(description="Users who like it (one like per user).")
    published_at: datetime | None = strawberry.field(
        description="First publication (kept by updates); null for a draft."
    )

    # Plain attributes (no resolver per item): values when the source row carries them
    # (feed rows join them), otherwise a `Deferred` that asks the operation's loader only
    # if the query selects the field.
    author: User | None = strawberry.field(
        description="The author as anyone sees them; null if the account is gone."
    )
    plays_7d: int = strawberry.field(
        description="Plays over the last 7 Beijing days, today included (the HOT order)."
    )
    viewer_has_liked: bool = strawberry.field(
        description="Whether the signed-in viewer likes it; false for anonymous callers."
    )

    owner_user_id: strawberry.Private[str]
    loaders: strawberry.Private[GalleryLoaders]

    def __post_init__(self) -> None:
        definition = type(self).__strawberry_definition__  # type: ignore[attr-defined]
        self._id = strawberry.ID(to_base64(definition.name, self.node_work_id))

    @property
    def entry_id(self) -> str:
        """The gallery key `{play_type}:{work_id}`."""
        return entry_key(self.play_type, str(self.work_id))

    @staticmethod
    def work_fields(
        *,
        play_type: PlayType,
        work_id: str,
        owner_user_id: str,
        title: str,
        summary: str,
        cover_url: str | None,
        theme: str | None,
        tags: list[str],
        publication_status: WorkPublicationStatus,
        play_count: int,
        like_count: int,
        published_at: datetime | None,
        loaders: GalleryLoaders,
        author: Any = None,
        plays_7d: Any = None,
        viewer_has_liked: Any = None,
    ) -> dict[str, Any]:
        """Constructor arguments of the `Work` part, for works built from a play type's own
        rows (add your type's fields and call `YourWork(**fields, …)`). `author`,
        `plays_7d` and `viewer_has_liked`, when known, are used as they are; otherwise they
        are loaded if the query selects them."""
        status = _STATUSES.get(publication_status) or WorkPublicationStatus(publication_status)
        key = entry_key(play_type, work_id)
        published = status is WorkPublicationStatus.PUBLISHED
        if author is None:
            author = Deferred(lambda: load_author(loaders, owner_user_id))
        if plays_7d is None:
            plays_7d = Deferred(lambda: loaders.plays_7d.load(key)) if published else 0
        if viewer_has_liked is None:
            viewer_has_liked = (
                Deferred(lambda: loaders.liked.load(key))
                if published and loaders.viewer_user_id is not None
                else False
            )
        return {
            "author": author,
            "plays_7d": plays_7d,
            "viewer_has_liked": viewer_has_liked,
            "node_work_id": work_id,
            "play_type": _play_type(play_type),
            "work_id": strawberry.ID(work_id),
            "title": title,
            "summary": summary,
            "cover_url": cover_url,
            "theme": theme,
            "tags": list(tags),
            "publication_status": status,
            "play_count": int(play_count),
            "like_count": int(like_count),
            "published_at": published_at,
            "owner_user_id": owner_user_id,
            "loaders": loaders,
        }

    @staticmethod
    def gallery_fields(row: GalleryWorkRow, loaders: GalleryLoaders) -> dict[str, Any]:
        """Constructor arguments of the `Work` part from a read-model row."""
        return Work.work_fields(
            play_type=row.play_type,
            work_id=row.work_id,
            owner_user_id=row.owner_user_id,
            title=row.title,
            summary=row.summary,
            cover_url=row.cover_image_src,
            theme=row.theme,
            tags=list(row.tags),
            publication_status=WorkPublicationStatus.PUBLISHED,
            play_count=row.play_count,
            like_count=row.like_count,
            published_at=row.published_at,
            loaders=loaders,
            author=User.from_row(row.author) if row.author is not None else None,
            plays_7d=row.stored_plays_7d(today=loaders.today),
            viewer_has_liked=row.viewer_has_liked,
        )

    @classmethod
    def gallery_cover(cls, src: str | None) -> str | None:
        """The cover URL shown for a read-model row's `cover_image_src`: the play type's
        cover rule (signing asset paths, say), a pure function of the source. The fast path
        applies it to rows directly (schema/plan/feed.py)."""
        return src

    @classmethod
    def from_gallery_row(cls: type[W], row: GalleryWorkRow, loaders: GalleryLoaders) -> W:
        """A feed item from a read-model row. Types with their own required fields
        override this (load those fields through `loaders.scoped(...)`); such a type's
        feed items are then built as objects, never shaped from rows by the fast path."""
        fields = Work.gallery_fields(row, loaders)
        fields["cover_url"] = cls.gallery_cover(fields["cover_url"])
        return cls(**fields)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Work | None]:
        """Published works of this type by work id (None for others)."""
        ids = list(node_ids)
        play_type = play_type_of(cls)
        if play_type is None:
            return [None for _ in ids]
        rows = await works_by_keys([entry_key(play_type, work_id) for work_id in ids])
        loaders = GalleryLoaders(viewer_user_id=info.context.principal.user_id)
        found: list[Work | None] = []
        for work_id in ids:
            row = rows.get(entry_key(play_type, work_id))
            found.append(cls.from_gallery_row(row, loaders) if row is not None else None)
        return found


_work_types: dict[PlayType, type[Work]] = {}


def register_work_type(play_type: PlayType, cls: type[Work]) -> None:
    """Declare `cls` (a `@strawberry.type` implementing `Work`) as `play_type`'s work type.

    Call once, at import of the play type's schema module. Registering another class for a
    play type that has one raises `ValueError`; registering the same one again is a no-op.
    """
    play_type = PlayType(play_type)
    if not (isinstance(cls, type) and issubclass(cls, Work)) or cls is Work:
        raise TypeError(f"{cls!r} must be a concrete type implementing Work")
    if not callable(getattr(cls, "from_gallery_row", None)):
        raise TypeError(f"{cls.__name__} needs a from_gallery_row classmethod")
    existing = _work_types.get(play_type)
    if existing is not None and existing is not cls:
        raise ValueError(f"{play_type} already has work type {existing.__name__}")
    _work_types[play_type] = cls


def unregister_work_type(play_type: PlayType) -> None:
    """Forget a play type's work type (tests only)."""
    _work_types.pop(PlayType(play_type), None)


def work_type_for(play_type: PlayType | str) -> type[Work] | None:
    return _work_types.get(_play_type(play_type))


# Enum lookups by value without Enum.__call__ (a StrEnum member hashes as its value).
_PLAY_TYPES: dict[str, PlayType] = {member.value: member for member in PlayType}
_STATUSES: dict[str, WorkPublicationStatus] = {
    member.value: member for member in WorkPublicationStatus
}


def _play_type(value: PlayType | str) -> PlayType:
    return _PLAY_TYPES.get(value) or PlayType(value)


def play_type_of(cls: type[Work]) -> PlayType | None:
    for play_type, registered in _work_types.items():
        if registered is cls:
            return play_type
    return None


def registered_play_types() -> list[PlayType]:
    """Play types with a work type, in declaration order (the feed shows only these)."""
    return [play_type for play_type in PlayType if play_type in _work_types]


def registered_work_types() -> list[type[Work]]:
    """Every registered work type (schema/build.py lists them in the schema's types)."""
    return [_work_types[play_type] for play_type in registered_play_types()]


def work_object_id(value: str, play_type: PlayType | str | None = None) -> str:
    """The work id an argument names (schema/ids.py): the raw work id, or the global id of a
    work of `play_type` (of any play type when None); another type's is BAD_USER_INPUT."""
    if play_type is None:
        return object_id(value, *registered_work_types())
    cls = work_type_for(play_type)
    return object_id(value, *([cls] if cls is not None else []))


def work_from_row(row: GalleryWorkRow, loaders: GalleryLoaders) -> Work | None:
    """A feed item from a read-model row, as its play type's registered type."""
    cls = work_type_for(row.play_type)
    return cls.from_gallery_row(row, loaders) if cls is not None else None
