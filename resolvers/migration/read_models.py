"""Read models rebuilt on import instead of carried (resolvers/migration/tables.py REBUILT).

`gallery_public_work` (the feed) is projected again from each play type's published works:
title, summary, cover, theme, tags and publication time from the work's own columns (a
theme the work does not store comes from its draft: puzzle and big fish), counts from the
carried likes and daily plays, the 7-day window as of the import. Works are read in keyset
pages, so memory stays flat.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from db.tables.gallery import GalleryPublicWork
from resolvers import clock
from resolvers.gallery.model import beijing_day, entry_key, hot_window_start
from resolvers.gallery.play_types import PlayType

PAGE_ROWS = 500


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


SOURCES = (
    WorkSource(
        PlayType.CUSTOM_WORLD,
        "custom_world_profile",
        "profile_id",
        "world_name",
        "summary_text",
        "theme_mode",
        None,
        draft="profile_payload_json",
        extra_filter=" AND deleted_at IS NULL",
    ),
    WorkSource(
        PlayType.PUZZLE,
        "puzzle_work_profile",
        "profile_id",
        "work_title",
        "work_description",
        None,
        "theme_tags_json",
        draft="anchor_pack_json",
    ),
    WorkSource(
        PlayType.MATCH3D,
        "match3d_work_profile",
        "profile_id",
        "game_name",
        "summary_text",
        "theme_text",
        "tags_json",
    ),
    WorkSource(
        PlayType.SQUARE_HOLE,
        "square_hole_work_profile",
        "profile_id",
        "game_name",
        "summary_text",
        "theme_text",
        "tags_json",
    ),
    WorkSource(
        PlayType.VISUAL_NOVEL,
        "visual_novel_work_profile",
        "profile_id",
        "work_title",
        "work_description",
        None,
        "tags_json",
    ),
    WorkSource(
        PlayType.BIG_FISH,
        "big_fish_creation_session",
        "session_id",
        "",
        "",
        None,
        None,
        draft="draft_json",
    ),
)


def _json(value: Any) -> Any:
    return orjson.loads(value) if isinstance(value, str | bytes) else value


def _projected(source: WorkSource, row: dict[str, Any]) -> tuple[str, str, str | None, list[str]]:
    draft = _json(row["draft"]) if source.draft else None
    draft = draft if isinstance(draft, dict) else {}
    title = str(row["title"] if source.title else draft.get("title", ""))
    summary = str(row["summary"] if source.summary else draft.get("description", ""))
    theme = row["theme"] if source.theme else draft.get("theme")
    tags = _json(row["tags"]) if source.tags else draft.get("tags", [])
    tags = [str(tag) for tag in tags] if isinstance(tags, list) else []
    return title, summary, (str(theme) if theme else None), tags


async def _rebuild_source(source: WorkSource, day: int) -> None:
    selected = [
        f"{source.key} AS work_key",
        "owner_user_id",
        "cover_image_src",
        "published_at",
        "updated_at",
        f"{source.title} AS title" if source.title else "NULL AS title",
        f"{source.summary} AS summary" if source.summary else "NULL AS summary",
        f"{source.theme} AS theme" if source.theme else "NULL AS theme",
        f"{source.tags} AS tags" if source.tags else "NULL AS tags",
        f"{source.draft} AS draft" if source.draft else "NULL AS draft",
    ]
    query = (
        f"SELECT {', '.join(selected)} FROM {source.table} "
        f"WHERE publication_status = 'published'{source.extra_filter}"
    )
    after: str | None = None
    while True:
        page = f"{query} AND {source.key} > {{}}" if after is not None else query
        # Raw: the columns are SQL expressions of each source's own table (`SOURCES`).
        rows = await GalleryPublicWork.raw(
            f"{page} ORDER BY {source.key} LIMIT {PAGE_ROWS}", *([after] if after else [])
        )
        for row in rows:
            title, summary, theme, tags = _projected(source, row)
            work_id = str(row["work_key"])
            plays = "(SELECT COALESCE(SUM(play_count), 0) FROM public_work_play_daily_stat "
            plays += "WHERE source_type = {} AND profile_id = {}"
            # Raw: the counters are scalar subqueries of the stats and likes tables.
            await GalleryPublicWork.raw(
                "INSERT INTO gallery_public_work (entry_id, play_type, work_id, owner_user_id, "
                "title, summary, cover_image_src, theme, tags_json, published_at, updated_at, "
                "play_count, like_count, plays_7d, plays_7d_day) VALUES ({}, {}, {}, {}, {}, "
                "{}, {}, {}, {}, {}, {}, " + plays + "), (SELECT COUNT(*) FROM public_work_like "
                "WHERE source_type = {} AND profile_id = {}), " + plays + " AND played_day >= "
                "{}), {})",
                entry_key(source.play_type, work_id),
                source.play_type.value,
                work_id,
                row["owner_user_id"],
                title,
                summary,
                row["cover_image_src"],
                theme,
                orjson.dumps(tags).decode(),
                row["published_at"] or row["updated_at"],
                row["updated_at"],
                source.play_type.value,
                work_id,
                source.play_type.value,
                work_id,
                source.play_type.value,
                work_id,
                hot_window_start(day),
                day,
            )
        if len(rows) < PAGE_ROWS:
            return
        after = str(rows[-1]["work_key"])


async def rebuild_read_models() -> None:
    """Replace `gallery_public_work` with the projection of the published works (inside
    the importing transaction)."""
    await GalleryPublicWork.delete(force=True)
    day = beijing_day(clock.now())
    for source in SOURCES:
        await _rebuild_source(source, day)
