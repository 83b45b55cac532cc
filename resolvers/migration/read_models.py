"""Read models rebuilt on import instead of carried (resolvers/migration/tables.py REBUILT).

`gallery_public_work` (the feed) is projected again from each play type's published works:
title, summary, cover, theme, tags and publication time from the work's own columns (a
theme the work does not store comes from its draft: puzzle and big fish), counts from the
carried likes and daily plays, the 7-day window as of the import. Works are read in keyset
pages, so memory stays flat.
"""

from __future__ import annotations

from typing import Any

import orjson

from resolvers import clock
from resolvers.gallery.model import beijing_day, entry_key, hot_window_start
from resolvers.gallery.play_types import PlayType
from resolvers.migration.model import WorkSource
from resolvers.migration.rows import PublishedWork
from resolvers.migration.store import public_works

PAGE_ROWS = 500


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


def _projected(source: WorkSource, row: PublishedWork) -> tuple[str, str, str | None, list[str]]:
    draft = _json(row.draft) if source.draft else None
    draft = draft if isinstance(draft, dict) else {}
    title = str(row.title if source.title else draft.get("title", ""))
    summary = str(row.summary if source.summary else draft.get("description", ""))
    theme = row.theme if source.theme else draft.get("theme")
    tags = _json(row.tags) if source.tags else draft.get("tags", [])
    tags = [str(tag) for tag in tags] if isinstance(tags, list) else []
    return title, summary, (str(theme) if theme else None), tags


async def _rebuild_source(source: WorkSource, day: int) -> None:
    after: str | None = None
    while True:
        rows = await public_works.published_works(source, after=after, limit=PAGE_ROWS)
        for row in rows:
            title, summary, theme, tags = _projected(source, row)
            await public_works.insert_public_work(
                entry_id=entry_key(source.play_type, row.work_key),
                play_type=source.play_type.value,
                work_id=row.work_key,
                owner_user_id=row.owner_user_id,
                title=title,
                summary=summary,
                cover_image_src=row.cover_image_src,
                theme=theme,
                tags_json=orjson.dumps(tags).decode(),
                published_at=row.published_at or row.updated_at,
                updated_at=row.updated_at,
                window_start=hot_window_start(day),
                day=day,
            )
        if len(rows) < PAGE_ROWS:
            return
        after = rows[-1].work_key


async def rebuild_read_models() -> None:
    """Replace `gallery_public_work` with the projection of the published works (inside
    the importing transaction)."""
    await public_works.delete_public_works()
    day = beijing_day(clock.now())
    for source in SOURCES:
        await _rebuild_source(source, day)
