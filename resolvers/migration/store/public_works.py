"""The gallery's feed (`gallery_public_work`) as an import rebuilds it: emptied, then one
row per published work read from each play type's own work table."""

from __future__ import annotations

from typing import Any

from db.tables.gallery import GalleryPublicWork
from resolvers.migration.model import WorkSource
from resolvers.migration.rows import PublishedWork


async def delete_public_works() -> None:
    """Empty the feed."""
    await GalleryPublicWork.delete(force=True)


async def published_works(
    source: WorkSource, *, after: str | None, limit: int
) -> list[PublishedWork]:
    """Up to `limit` published works of `source` whose key follows `after`, by key."""
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
    page = f"{query} AND {source.key} > {{}}" if after is not None else query
    # Raw: the columns are SQL expressions of each source's own table (read_models.SOURCES).
    rows = await GalleryPublicWork.raw(
        f"{page} ORDER BY {source.key} LIMIT {limit}", *([after] if after else [])
    )
    return [
        PublishedWork(
            work_key=str(row["work_key"]),
            owner_user_id=row["owner_user_id"],
            cover_image_src=row["cover_image_src"],
            published_at=row["published_at"],
            updated_at=row["updated_at"],
            title=row["title"],
            summary=row["summary"],
            theme=row["theme"],
            tags=row["tags"],
            draft=row["draft"],
        )
        for row in rows
    ]


async def insert_public_work(
    *,
    entry_id: str,
    play_type: str,
    work_id: str,
    owner_user_id: Any,
    title: str,
    summary: str,
    cover_image_src: Any,
    theme: str | None,
    tags_json: str,
    published_at: Any,
    updated_at: Any,
    window_start: int,
    day: int,
) -> None:
    """Insert a feed entry; its plays, likes and plays since `window_start` (a Beijing
    day) counted from the carried stats and likes."""
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
        entry_id,
        play_type,
        work_id,
        owner_user_id,
        title,
        summary,
        cover_image_src,
        theme,
        tags_json,
        published_at,
        updated_at,
        play_type,
        work_id,
        play_type,
        work_id,
        play_type,
        work_id,
        window_start,
        day,
    )
