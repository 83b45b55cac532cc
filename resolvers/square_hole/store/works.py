"""Square-hole work profiles: the contract's tables and the statements of the square hole's
own."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from piccolo.query.functions import Coalesce

from db.tables.square_hole import SquareHoleAgentSession, SquareHoleWorkProfile
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.play_types.rows import decoded
from resolvers.play_types.tables import WorkTables
from resolvers.square_hole.rows import SquareHoleWorkRow

# The tables the contract's shared reads and publication run on.
TABLES = WorkTables(profile=SquareHoleWorkProfile, session=SquareHoleAgentSession)
PROFILE_JSON = ("tags_json", "config_json")


async def insert_work(
    *,
    profile_id: str,
    owner_user_id: str,
    session_id: str,
    author_display_name: str,
    columns: Mapping[str, Any],
    now: datetime,
) -> SquareHoleWorkRow:
    """Insert a session's draft work (no cover, no code) with the draft's `columns`."""
    rows = await SquareHoleWorkProfile.insert(
        SquareHoleWorkProfile(
            profile_id=profile_id,
            work_id=profile_id,  # the gallery keys works by profile id
            owner_user_id=owner_user_id,
            source_session_id=session_id,
            author_display_name=author_display_name,
            game_name=columns["game_name"],
            theme_text=columns["theme_text"],
            twist_rule=columns["twist_rule"],
            summary_text=columns["summary_text"],
            tags_json=columns["tags_json"],
            cover_image_src=None,
            shape_count=columns["shape_count"],
            difficulty=columns["difficulty"],
            config_json=columns["config_json"],
            publication_status=WorkPublicationStatus.DRAFT.value,
            play_count=0,
            updated_at=now,
            published_at=None,
            cover_asset_id=None,
            created_at=now,
            public_work_code=None,
        )
    ).returning(*SquareHoleWorkProfile.all_columns())
    return SquareHoleWorkRow.from_row(rows[0])


async def work_by_session(session_id: str) -> SquareHoleWorkRow | None:
    """The work made in a session."""
    row = (
        await SquareHoleWorkProfile.select()
        .where(SquareHoleWorkProfile.source_session_id == session_id)
        .output(load_json=True)
        .first()
    )
    return SquareHoleWorkRow.from_row(row) if row is not None else None


async def mirror_draft(*, session_id: str, columns: Mapping[str, Any], now: datetime) -> None:
    """Set the draft's `columns` on the session's work while it is a draft."""
    await SquareHoleWorkProfile.update({SquareHoleWorkProfile.updated_at: now}, **columns).where(
        (SquareHoleWorkProfile.source_session_id == session_id)
        & (SquareHoleWorkProfile.publication_status == WorkPublicationStatus.DRAFT.value)
    )


async def publish_work(
    *,
    profile_id: str,
    cover_asset_id: str,
    cover_image_src: str,
    columns: Mapping[str, Any],
    now: datetime,
) -> dict[str, Any]:
    """Write the published card (`columns`, the cover); the decoded row."""
    rows = (
        await SquareHoleWorkProfile.update(
            {
                SquareHoleWorkProfile.cover_asset_id: cover_asset_id,
                SquareHoleWorkProfile.cover_image_src: cover_image_src,
                SquareHoleWorkProfile.publication_status: WorkPublicationStatus.PUBLISHED.value,
                # The first publication's time stays through later updates.
                SquareHoleWorkProfile.published_at: Coalesce(
                    SquareHoleWorkProfile.published_at, now
                ),
                SquareHoleWorkProfile.updated_at: now,
            },
            **columns,
        )
        .where(SquareHoleWorkProfile.profile_id == profile_id)
        .returning(*SquareHoleWorkProfile.all_columns())
    )
    return decoded(rows[0], PROFILE_JSON)
