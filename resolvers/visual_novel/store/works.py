"""Visual-novel work profiles: the contract's tables and the statements of the visual
novel's own."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from piccolo.query.functions import Coalesce

from db.tables.visual_novel import VisualNovelAgentSession, VisualNovelWorkProfile
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.play_types.rows import as_json, decoded
from resolvers.play_types.tables import WorkTables
from resolvers.visual_novel.rows import VisualNovelWorkRow

# The tables the contract's shared reads and publication run on.
TABLES = WorkTables(profile=VisualNovelWorkProfile, session=VisualNovelAgentSession)
PROFILE_JSON = ("tags_json", "source_asset_ids_json", "draft_json")


async def insert_work(
    *,
    profile_id: str,
    owner_user_id: str,
    session_id: str,
    author_display_name: str,
    source_asset_ids: Sequence[str],
    draft_json: Any,
    now: datetime,
) -> VisualNovelWorkRow:
    """Insert a session's draft work: untitled, no cover, no code."""
    work = VisualNovelWorkProfile(
        profile_id=profile_id,
        work_id=profile_id,
        owner_user_id=owner_user_id,
        source_session_id=session_id,
        author_display_name=author_display_name,
        work_title="",
        work_description="",
        tags_json="[]",
        cover_image_src=None,
        source_asset_ids_json=as_json(source_asset_ids),
        draft_json=as_json(draft_json),
        publication_status=WorkPublicationStatus.DRAFT.value,
        publish_ready=False,
        play_count=0,
        created_at=now,
        updated_at=now,
        published_at=None,
        public_work_code=None,
    )
    rows = await VisualNovelWorkProfile.insert(work).returning(
        *VisualNovelWorkProfile.all_columns()
    )
    return VisualNovelWorkRow.from_row(rows[0])


async def work_by_session(session_id: str) -> VisualNovelWorkRow | None:
    """The work made in a session."""
    row = (
        await VisualNovelWorkProfile.select()
        .where(VisualNovelWorkProfile.source_session_id == session_id)
        .output(load_json=True)
        .first()
    )
    return VisualNovelWorkRow.from_row(row) if row is not None else None


async def mirror_draft(*, session_id: str, columns: Mapping[str, Any], now: datetime) -> str | None:
    """Set the draft's card `columns` on the session's work while it is a draft; the work's
    id (None when it is not a draft)."""
    profile = VisualNovelWorkProfile
    rows = await (
        profile.update(
            {
                profile.work_title: columns["work_title"],
                profile.work_description: columns["work_description"],
                profile.tags_json: as_json(columns["tags_json"]),
                profile.draft_json: as_json(columns["draft_json"]),
                profile.updated_at: now,
            }
        )
        .where(
            (profile.source_session_id == session_id)
            & (profile.publication_status == WorkPublicationStatus.DRAFT.value)
        )
        .returning(profile.profile_id)
    )
    return str(rows[0]["profile_id"]) if rows else None


async def publish_work(
    *,
    profile_id: str,
    columns: Mapping[str, Any],
    published_draft: Any,
    cover_image_src: str,
    now: datetime,
) -> dict[str, Any]:
    """Write the published card (`columns`, the draft as published, the cover); the
    decoded row."""
    table = VisualNovelWorkProfile
    rows = await (
        table.update(
            {
                table.work_title: columns["work_title"],
                table.work_description: columns["work_description"],
                table.tags_json: as_json(columns["tags_json"]),
                table.draft_json: as_json(published_draft),
                table.cover_image_src: cover_image_src,
                table.publication_status: WorkPublicationStatus.PUBLISHED.value,
                table.publish_ready: True,
                # The first publication's time is kept through updates and republishing.
                table.published_at: Coalesce(table.published_at, now),
                table.updated_at: now,
            }
        )
        .where(table.profile_id == profile_id)
        .returning(*table.all_columns())
    )
    return decoded(rows[0], PROFILE_JSON)
