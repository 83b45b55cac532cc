"""The migration's description of where things are kept, shared by its logic and store."""

from __future__ import annotations

from dataclasses import dataclass

from resolvers.gallery.play_types import PlayType


@dataclass(frozen=True, slots=True)
class WorkSource:
    """Where a play type keeps its published works (columns of its work table)."""

    play_type: PlayType
    table: str
    key: str
    title: str
    summary: str
    theme: str | None
    tags: str | None
    # A JSON column whose object holds the theme (and tags when `tags` is None).
    draft: str | None = None
    extra_filter: str = ""
