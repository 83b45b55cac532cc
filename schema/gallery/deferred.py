"""Field values of a work that cost a load, computed only when GraphQL awaits them (the
query selected the field): its author, 7-day plays and `viewerHasLiked` when the row does
not carry them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from typing import Any

from schema.auth.user import User
from schema.gallery.loaders import GalleryLoaders


class Deferred:
    """A field value computed only when GraphQL awaits it (the query selected the field):
    `start()` returns the awaitable, typically a dataloader call."""

    __slots__ = ("_start",)

    def __init__(self, start: Callable[[], Awaitable[Any]]) -> None:
        self._start = start

    def __await__(self) -> Generator[Any, None, Any]:
        return self._start().__await__()


async def load_author(loaders: GalleryLoaders, user_id: str) -> User | None:
    """A work's author through the operation's loader (null if the account is gone)."""
    row = await loaders.authors.load(user_id)
    return User.from_row(row) if row is not None else None
