"""What the play types call: publish, update, unpublish a work; record a play.

`publish_work` and `unpublish_work` run inside the caller's write transaction
(`db.transactions.write_transaction()`) and return the stream entries the caller publishes
after commit (`subscriptions.streams.publish`). `record_play` joins the caller's transaction
when there is one and opens its own otherwise. Races are settled by single conditional
statements: the read-model row (`gallery_public_work`) is keyed `{play_type}:{work_id}`.
"""

from __future__ import annotations

from datetime import datetime

import orjson

from db.transactions import in_transaction, write_transaction
from resolvers.gallery.errors import GalleryError, GalleryErrorCode
from resolvers.gallery.events import record_change
from resolvers.gallery.model import (
    MAX_SUMMARY_LENGTH,
    MAX_TAG_LENGTH,
    MAX_TAGS,
    MAX_THEME_LENGTH,
    MAX_TITLE_LENGTH,
    MAX_WORK_ID_LENGTH,
    GalleryChangeKind,
    beijing_day,
    entry_key,
    stat_key,
    utc,
)
from resolvers.gallery.play_types import PlayType
from resolvers.gallery.store import plays, works
from subscriptions.streams import StreamEntry


def _require_transaction() -> None:
    if not in_transaction():
        raise RuntimeError("call this inside the play type's write transaction")


def _checked(
    *, work_id: str, title: str, summary: str, theme: str | None, tags: list[str]
) -> tuple[str, str, str | None, list[str]]:
    if not 1 <= len(work_id) <= MAX_WORK_ID_LENGTH or ":" in work_id:
        raise GalleryError(
            GalleryErrorCode.WORK_ID_INVALID,
            f"Work ids are 1 to {MAX_WORK_ID_LENGTH} characters without ':'.",
            field="workId",
        )
    title = title.strip()
    if not 1 <= len(title) <= MAX_TITLE_LENGTH:
        raise GalleryError(
            GalleryErrorCode.TITLE_INVALID,
            f"A published work needs a title of 1 to {MAX_TITLE_LENGTH} characters.",
            field="title",
        )
    if len(summary) > MAX_SUMMARY_LENGTH:
        raise GalleryError(
            GalleryErrorCode.SUMMARY_INVALID,
            f"Summaries are at most {MAX_SUMMARY_LENGTH} characters.",
            field="summary",
        )
    theme = theme.strip() if theme else None
    if theme is not None and len(theme) > MAX_THEME_LENGTH:
        raise GalleryError(
            GalleryErrorCode.THEME_INVALID,
            f"Themes are at most {MAX_THEME_LENGTH} characters.",
            field="theme",
        )
    cleaned = list(dict.fromkeys(tag.strip() for tag in tags if tag.strip()))
    if len(cleaned) > MAX_TAGS or any(len(tag) > MAX_TAG_LENGTH for tag in cleaned):
        raise GalleryError(
            GalleryErrorCode.TAGS_INVALID,
            f"At most {MAX_TAGS} tags of at most {MAX_TAG_LENGTH} characters.",
            field="tags",
        )
    return title, summary, theme or None, cleaned


async def publish_work(
    *,
    play_type: PlayType,
    work_id: str,
    owner_user_id: str,
    title: str,
    summary: str,
    cover_image_src: str | None,
    theme: str | None,
    tags: list[str],
    now: datetime,
) -> list[StreamEntry]:
    """First publication (PUBLISHED) or an update of a published work (UPDATED).

    Upserts the work's read-model row and writes a gallery change event, inside the
    caller's transaction; returns the entries to publish after commit. The first
    publication sets `published_at` (kept by updates); counts come from the likes and
    daily plays already recorded for the work. Raises `GalleryError` (TITLE_INVALID, …)
    for values the feed cannot show.
    """
    _require_transaction()
    play_type = PlayType(play_type)
    title, summary, theme, tags = _checked(
        work_id=work_id, title=title, summary=summary, theme=theme, tags=tags
    )
    now = utc(now)
    key = entry_key(play_type, work_id)
    tags_json = orjson.dumps(tags).decode()
    day = beijing_day(now)
    for _ in range(3):
        if await works.insert_published_work(
            key=key,
            play_type=play_type,
            work_id=work_id,
            owner_user_id=owner_user_id,
            title=title,
            summary=summary,
            cover_image_src=cover_image_src,
            theme=theme,
            tags_json=tags_json,
            day=day,
            now=now,
        ):
            kind = GalleryChangeKind.PUBLISHED
            break
        if await works.update_published_work(
            key=key,
            title=title,
            summary=summary,
            cover_image_src=cover_image_src,
            theme=theme,
            tags_json=tags_json,
            now=now,
        ):
            kind = GalleryChangeKind.UPDATED
            break
        # Unpublished by a concurrent transaction between the two statements: try again.
    else:  # pragma: no cover - needs three lost races in a row
        raise RuntimeError(f"could not publish {key}")
    return await record_change(
        kind=kind, play_type=play_type, work_id=work_id, like_count=None, now=now
    )


async def unpublish_work(*, play_type: PlayType, work_id: str, now: datetime) -> list[StreamEntry]:
    """Remove a work from the gallery (UNPUBLISHED), inside the caller's transaction.

    Idempotent: a work that is not published writes nothing and returns no entries. Likes
    and daily plays stay (they count again if the work is published again).
    """
    _require_transaction()
    play_type = PlayType(play_type)
    if not await works.delete_published_work(entry_key(play_type, work_id)):
        return []
    return await record_change(
        kind=GalleryChangeKind.UNPUBLISHED,
        play_type=play_type,
        work_id=work_id,
        like_count=None,
        now=utc(now),
    )


async def record_play(*, play_type: PlayType, work_id: str, now: datetime) -> None:
    """Count one play of a published work: its daily stat, play count and 7-day plays.

    Joins the caller's transaction when there is one. Raises `GalleryError(WORK_NOT_FOUND)`
    (and writes nothing) when the work is not published. Not exposed in GraphQL.
    """
    play_type = PlayType(play_type)
    now = utc(now)
    day = beijing_day(now)
    key = entry_key(play_type, work_id)
    async with write_transaction():
        # Takes the read-model row's lock first: plays of one work are serialized, so the
        # 7-day sum below sees every earlier play.
        owner_user_id = await works.count_play(key)
        if owner_user_id is None:
            raise GalleryError(
                GalleryErrorCode.WORK_NOT_FOUND, "This work is not published.", field="workId"
            )
        await plays.add_daily_play(
            stat_id=stat_key(play_type, work_id, day),
            play_type=play_type,
            owner_user_id=owner_user_id,
            work_id=work_id,
            day=day,
            now=now,
        )
        await works.set_plays_7d(key=key, play_type=play_type, work_id=work_id, day=day)
