"""Per-operation loaders of the gallery graph (one per request, or per subscription batch).

Feed rows arrive with their authors, 7-day plays and the viewer's like already joined, so
items built from them need no loader at all; the loaders serve works built elsewhere (a
play type's own lists, payloads, events) with one statement per kind of data, whatever the
number of items.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from strawberry import Info
from strawberry.dataloader import DataLoader

from resolvers import clock
from resolvers.auth.public_users import public_users_by_ids
from resolvers.auth.rows import PublicUserRow
from resolvers.gallery import reading
from resolvers.gallery.model import beijing_day
from resolvers.gallery.rows import GalleryWorkRow

if TYPE_CHECKING:
    from schema.context import Context

T = TypeVar("T")


class GalleryLoaders:
    """Loaders for one operation, for one viewer (None: anonymous)."""

    def __init__(self, *, viewer_user_id: str | None, now: datetime | None = None) -> None:
        self.viewer_user_id = viewer_user_id
        self.now = now or clock.now()
        self.today = beijing_day(self.now)
        self.authors = DataLoader[str, PublicUserRow | None](load_fn=self._authors)
        self.liked = DataLoader[str, bool](load_fn=self._liked)
        self.plays_7d = DataLoader[str, int](load_fn=self._plays_7d)
        self.works = DataLoader[str, GalleryWorkRow | None](load_fn=self._works)
        self._scoped: dict[str, Any] = {}

    def scoped(self, key: str, factory: Callable[[], T]) -> T:
        """A play type's own per-operation object (its loaders), made once per operation."""
        if key not in self._scoped:
            self._scoped[key] = factory()
        value: T = self._scoped[key]
        return value

    @staticmethod
    async def _authors(user_ids: list[str]) -> list[PublicUserRow | None]:
        rows = await public_users_by_ids(list(user_ids))
        return [rows.get(user_id) for user_id in user_ids]

    async def _liked(self, entry_ids: list[str]) -> list[bool]:
        if self.viewer_user_id is None:
            return [False for _ in entry_ids]
        liked = await reading.liked_keys(user_id=self.viewer_user_id, entry_ids=list(entry_ids))
        return [entry_id in liked for entry_id in entry_ids]

    async def _plays_7d(self, entry_ids: list[str]) -> list[int]:
        plays = await reading.plays_7d_of(entry_ids=list(entry_ids), now=self.now)
        return [plays.get(entry_id, 0) for entry_id in entry_ids]

    @staticmethod
    async def _works(entry_ids: list[str]) -> list[GalleryWorkRow | None]:
        rows = await reading.works_by_keys(list(entry_ids))
        return [rows.get(entry_id) for entry_id in entry_ids]


def gallery_loaders(info: Info[Context, None]) -> GalleryLoaders:
    """The request's gallery loaders, for its viewer."""
    return GalleryLoaders(viewer_user_id=info.context.principal.user_id)
