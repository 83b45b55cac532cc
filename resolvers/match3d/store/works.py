"""Match3D's work statements: the work profile (its draft card, the publication's
projection, the read by session); and the tables the play-type contract's shared
statements run on. None of them writes `generated_item_assets_json` but the insert."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from piccolo.query.functions import Coalesce

from db.tables.match3d import Match3dAgentSession, Match3dWorkProfile
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.match3d.rows import Match3dWorkRow
from resolvers.play_types.rows import decoded
from resolvers.play_types.tables import DraftColumn, WorkTables

Profile = Match3dWorkProfile
PROFILE_JSON = ("tags_json", "config_json", "generated_item_assets_json")

# The tables the contract's shared reads and publication run on.
TABLES = WorkTables(profile=Match3dWorkProfile, session=Match3dAgentSession)
DRAFT = DraftColumn(Match3dAgentSession, "draft_json")


async def insert_work(
    *,
    profile_id: str,
    owner_user_id: str,
    session_id: str,
    author_display_name: str,
    columns: dict[str, Any],
    now: datetime,
) -> Match3dWorkRow:
    """A new draft work made in `session_id` with the card's `columns`, no cover."""
    rows = await Profile.insert(
        Profile(
            profile_id=profile_id,
            owner_user_id=owner_user_id,
            source_session_id=session_id,
            author_display_name=author_display_name,
            game_name=columns["game_name"],
            theme_text=columns["theme_text"],
            summary_text=columns["summary_text"],
            tags_json=columns["tags_json"],
            cover_image_src=None,
            cover_asset_id=None,
            clear_count=columns["clear_count"],
            difficulty=columns["difficulty"],
            config_json=columns["config_json"],
            publication_status=WorkPublicationStatus.DRAFT.value,
            play_count=0,
            updated_at=now,
            published_at=None,
            generated_item_assets_json=None,
            created_at=now,
            public_work_code=None,
        )
    ).returning(*Profile.all_columns())
    return Match3dWorkRow.from_row(rows[0])


async def mirror_draft(*, session_id: str, columns: dict[str, Any], now: datetime) -> None:
    """Write the card's `columns` onto the session's work while it is a draft."""
    await Profile.update({Profile.updated_at: now}, **columns).where(
        (Profile.source_session_id == session_id)
        & (Profile.publication_status == WorkPublicationStatus.DRAFT.value)
    )


async def project_publication(
    *,
    profile_id: str,
    columns: dict[str, Any],
    cover_asset_id: str,
    cover_image_src: str,
    now: datetime,
) -> dict[str, Any]:
    """Publish the card's `columns` and the cover; the updated row, JSON decoded."""
    rows = (
        await Profile.update(
            {
                Profile.cover_asset_id: cover_asset_id,
                Profile.cover_image_src: cover_image_src,
                Profile.publication_status: WorkPublicationStatus.PUBLISHED.value,
                # The first publication's time stays through later updates.
                Profile.published_at: Coalesce(Profile.published_at, now),
                Profile.updated_at: now,
            },
            **columns,
        )
        .where(Profile.profile_id == profile_id)
        .returning(*Profile.all_columns())
    )
    return decoded(rows[0], PROFILE_JSON)


async def work_by_session(session_id: str) -> Match3dWorkRow | None:
    """The work made in a session."""
    row = (
        await Profile.select()
        .where(Profile.source_session_id == session_id)
        .output(load_json=True)
        .first()
    )
    return Match3dWorkRow.from_row(row) if row is not None else None
