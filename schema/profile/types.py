"""Profile types: settings, snapshot, browse history, save archives, feedback."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from resolvers.auth.phone_signin import mask_phone
from resolvers.profile.model import (
    ArchiveSlot,
    EvidenceMeta,
    Feedback,
    RuntimeSettings,
    Snapshot,
    VisitedWorld,
)
from schema.profile.enums import BrowseThemeMode, FeedbackStatus, PlatformTheme, ProfileErrorCode


@strawberry.type(name="ProfileError", description="Why a profile mutation did nothing.")
class ProfileErrorType:
    code: ProfileErrorCode = strawberry.field(description="Machine-readable reason.")
    field: str | None = strawberry.field(description="The input field at fault, if any.")
    message: str = strawberry.field(description="Human-readable explanation.")


@strawberry.type(
    name="RuntimeSetting",
    description="The viewer's runtime settings; defaults (volume 0.5, light) until first saved.",
)
class RuntimeSettingType:
    music_volume: float = strawberry.field(description="Music volume from 0 (mute) to 1.")
    platform_theme: PlatformTheme = strawberry.field(description="Colour theme.")
    is_default: bool = strawberry.field(description="True while nothing was ever saved.")

    @classmethod
    def from_settings(cls, settings: RuntimeSettings) -> RuntimeSettingType:
        return cls(
            music_volume=settings.music_volume,
            platform_theme=settings.platform_theme,
            is_default=not settings.stored,
        )


@strawberry.type(
    name="RuntimeSnapshot", description="The viewer's one current game snapshot (resume point)."
)
class RuntimeSnapshotType:
    version: int = strawberry.field(description="Counts saves: 1 after the first, +1 each save.")
    saved_at: datetime = strawberry.field(description="When it was last saved.")
    bottom_tab: str = strawberry.field(description="The bottom tab that was open (≤ 32 chars).")
    game_state: JSON = strawberry.field(description="Game state: a JSON object or array.")
    current_story: JSON | None = strawberry.field(
        description="The current story (JSON object or array), if any."
    )

    @classmethod
    def from_snapshot(cls, snapshot: Snapshot) -> RuntimeSnapshotType:
        return cls(
            version=snapshot.version,
            saved_at=snapshot.saved_at,
            bottom_tab=snapshot.bottom_tab,
            game_state=snapshot.game_state,
            current_story=snapshot.current_story,
        )


@strawberry.type(description="A world the viewer entered; revisits move it to the top.")
class BrowseHistoryEntry:
    id: strawberry.ID = strawberry.field(description="Row id (stable across revisits).")
    owner_user_id: str = strawberry.field(description="The world's owner (user id).")
    profile_id: str = strawberry.field(description="The world's profile id.")
    world_name: str = strawberry.field(description="World name when last visited.")
    subtitle: str = strawberry.field(description="Subtitle when last visited.")
    summary_text: str = strawberry.field(description="Summary when last visited.")
    cover_image_src: str | None = strawberry.field(description="Cover image URL, if any.")
    theme_mode: BrowseThemeMode = strawberry.field(description="Colour mode of the world.")
    author_display_name: str = strawberry.field(description="Author's display name.")
    visited_at: datetime = strawberry.field(description="Last visit.")

    @classmethod
    def from_visit(cls, visit: VisitedWorld) -> BrowseHistoryEntry:
        return cls(
            id=strawberry.ID(visit.browse_history_id),
            owner_user_id=visit.owner_user_id,
            profile_id=visit.profile_id,
            world_name=visit.world_name,
            subtitle=visit.subtitle,
            summary_text=visit.summary_text,
            cover_image_src=visit.cover_image_src,
            theme_mode=visit.theme_mode,
            author_display_name=visit.author_display_name,
            visited_at=visit.visited_at,
        )


@strawberry.type(
    description="A save slot: one per world key. Its state is restored with "
    "`saveArchiveResume` (lists never carry it)."
)
class SaveArchive:
    id: strawberry.ID = strawberry.field(description="Archive id (stable when re-saved).")
    world_key: str = strawberry.field(description="The world this slot saves (≤ 160 chars).")
    owner_user_id: str | None = strawberry.field(description="The world's owner, if known.")
    profile_id: str | None = strawberry.field(description="The world's profile id, if known.")
    world_type: str | None = strawberry.field(description="Play type of the world, if known.")
    world_name: str = strawberry.field(description="World name.")
    subtitle: str = strawberry.field(description="Subtitle.")
    summary_text: str = strawberry.field(description="Summary of the saved moment.")
    cover_image_src: str | None = strawberry.field(description="Cover image URL, if any.")
    bottom_tab: str = strawberry.field(description="The bottom tab to reopen.")
    saved_at: datetime = strawberry.field(description="When the slot was last written.")
    created_at: datetime = strawberry.field(description="When the slot was first written.")

    @classmethod
    def from_slot(cls, slot: ArchiveSlot) -> SaveArchive:
        return cls(
            id=strawberry.ID(slot.archive_id),
            world_key=slot.world_key,
            owner_user_id=slot.owner_user_id,
            profile_id=slot.profile_id,
            world_type=slot.world_type,
            world_name=slot.world_name,
            subtitle=slot.subtitle,
            summary_text=slot.summary_text,
            cover_image_src=slot.cover_image_src,
            bottom_tab=slot.bottom_tab,
            saved_at=slot.saved_at,
            created_at=slot.created_at,
        )


@strawberry.type(description="Metadata of one evidence image; the image itself is never returned.")
class FeedbackEvidence:
    index: int = strawberry.field(description="Position in the submitted list, from 0.")
    content_type: str = strawberry.field(
        description="Type detected from the bytes: image/png, image/jpeg or image/webp."
    )
    byte_size: int = strawberry.field(description="Decoded size in bytes.")
    sha256: str = strawberry.field(description="SHA-256 of the decoded bytes, hex.")

    @classmethod
    def from_meta(cls, meta: EvidenceMeta) -> FeedbackEvidence:
        return cls(
            index=meta.index,
            content_type=meta.content_type,
            byte_size=meta.byte_size,
            sha256=meta.sha256,
        )


@strawberry.type(description="A help-and-feedback submission of the viewer.")
class FeedbackSubmission:
    id: strawberry.ID = strawberry.field(description="Submission id.")
    description: str = strawberry.field(description="The problem, 1 to 2,000 characters.")
    contact_phone_masked: str | None = strawberry.field(
        description="The contact phone given, masked (`+86 138****5678`)."
    )
    status: FeedbackStatus = strawberry.field(description="Processing status.")
    evidence: list[FeedbackEvidence] = strawberry.field(
        description="Metadata of the attached images (never their data)."
    )
    created_at: datetime = strawberry.field(description="When it was sent.")

    @classmethod
    def from_feedback(cls, feedback: Feedback) -> FeedbackSubmission:
        phone = feedback.contact_phone
        return cls(
            id=strawberry.ID(feedback.feedback_id),
            description=feedback.description,
            contact_phone_masked=mask_phone(phone) if phone else None,
            status=feedback.status,
            evidence=[FeedbackEvidence.from_meta(meta) for meta in feedback.evidence],
            created_at=feedback.created_at,
        )
