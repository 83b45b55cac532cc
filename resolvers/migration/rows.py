"""The migration's rows, as its store returns them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Operator:
    user_id: str
    username: str
    created_at: datetime
    created_by: str
    note: str


@dataclass(frozen=True, slots=True)
class UploadUse:
    """The count and operator that chunks already put for an upload id carry."""

    count: int
    operator: str


@dataclass(frozen=True, slots=True)
class ChunkPosition:
    """Where a chunk of an upload stands: `index` of `count`."""

    index: int
    count: int


@dataclass(frozen=True, slots=True)
class PublishedWork:
    """A published work as its source table keeps it; a column the source lacks is None
    (`model.WorkSource`)."""

    work_key: str
    owner_user_id: Any
    cover_image_src: Any
    published_at: Any
    updated_at: Any
    title: Any
    summary: Any
    theme: Any
    tags: Any
    draft: Any
