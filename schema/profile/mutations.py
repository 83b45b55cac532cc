"""Profile mutations: settings, snapshot, browse history, save archives, feedback."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from resolvers.profile import archives, browse_history, feedback, runtime_settings, snapshot
from resolvers.profile.browse_history import BrowseVisit
from resolvers.profile.model import BrowseThemeMode, PlatformTheme
from schema.auth.user import User
from schema.context import Info
from schema.gallery.work import work_object_id
from schema.ids import object_id, optional_object_id
from schema.mutation_errors import DomainErrorPayload
from schema.permissions import IsAuthenticated
from schema.profile.types import (
    BrowseHistoryEntry,
    FeedbackSubmission,
    ProfileErrorType,
    RuntimeSettingType,
    RuntimeSnapshotType,
    SaveArchive,
)

ERRORS = "Empty on success; otherwise why nothing was written."


@strawberry.input(description="Settings to change; omitted ones keep their value.")
class RuntimeSettingUpdateInput:
    music_volume: float | None = strawberry.field(
        default=None, description="Music volume from 0 to 1."
    )
    platform_theme: PlatformTheme | None = strawberry.field(
        default=None, description="Colour theme."
    )


@strawberry.type(description="Result of `runtimeSettingUpdate`.")
class RuntimeSettingUpdatePayload:
    errors: list[ProfileErrorType] = strawberry.field(description=ERRORS)
    runtime_setting: RuntimeSettingType | None = strawberry.field(
        description="The settings now in force, on success."
    )


@strawberry.input(description="The snapshot to keep as the viewer's resume point.")
class RuntimeSnapshotSaveInput:
    bottom_tab: str = strawberry.field(description="The open bottom tab, ≤ 32 characters.")
    game_state: JSON = strawberry.field(
        description="A JSON object or array; with the story at most 256 KiB of JSON."
    )
    current_story: JSON | None = strawberry.field(
        default=None, description="The current story: JSON object, array or null."
    )


@strawberry.type(description="Result of `runtimeSnapshotSave` and `saveArchiveResume`.")
class RuntimeSnapshotPayload:
    errors: list[ProfileErrorType] = strawberry.field(description=ERRORS)
    runtime_snapshot: RuntimeSnapshotType | None = strawberry.field(
        description="The snapshot now current, on success."
    )


@strawberry.input(description="A world the viewer entered.")
class BrowseHistoryRecordInput:
    owner_user_id: str = strawberry.field(
        description="The world's owner, 1 to 64 characters (a `User.id` is accepted too)."
    )
    profile_id: str = strawberry.field(
        description="The world's profile id, 1 to 64 characters (a work's `id` is accepted too)."
    )
    world_name: str = strawberry.field(description="World name, 1 to 128 characters.")
    subtitle: str = strawberry.field(default="", description="Subtitle, ≤ 256 characters.")
    summary_text: str = strawberry.field(default="", description="Summary, ≤ 2,000 characters.")
    cover_image_src: str | None = strawberry.field(
        default=None, description="Cover image URL, ≤ 2,048 characters."
    )
    theme_mode: BrowseThemeMode = strawberry.field(
        default=BrowseThemeMode.LIGHT, description="Colour mode of the world."
    )
    author_display_name: str = strawberry.field(
        default="", description="Author's display name, ≤ 64 characters."
    )


@strawberry.type(description="Result of `browseHistoryRecord`.")
class BrowseHistoryRecordPayload:
    errors: list[ProfileErrorType] = strawberry.field(description=ERRORS)
    entry: BrowseHistoryEntry | None = strawberry.field(
        description="The (new or moved-up) history row, on success."
    )


@strawberry.type(description="Result of `browseHistoryClear`.")
class BrowseHistoryClearPayload:
    errors: list[ProfileErrorType] = strawberry.field(description=ERRORS)
    deleted_count: int = strawberry.field(description="How many rows were removed.")


@strawberry.input(description="A save slot to write: the viewer's slot for `worldKey`.")
class SaveArchiveUpsertInput:
    world_key: str = strawberry.field(description="The world, 1 to 160 characters.")
    world_name: str = strawberry.field(description="World name, 1 to 128 characters.")
    bottom_tab: str = strawberry.field(description="The bottom tab to reopen, ≤ 32 characters.")
    game_state: JSON = strawberry.field(
        description="A JSON object or array; with the story at most 256 KiB of JSON."
    )
    current_story: JSON | None = strawberry.field(
        default=None, description="The current story: JSON object, array or null."
    )
    owner_user_id: str | None = strawberry.field(
        default=None, description="The world's owner, ≤ 64 characters (or a `User.id`)."
    )
    profile_id: str | None = strawberry.field(
        default=None, description="The world's profile id, ≤ 64 characters (or a work's `id`)."
    )
    world_type: str | None = strawberry.field(
        default=None, description="Play type, ≤ 32 characters."
    )
    subtitle: str = strawberry.field(default="", description="Subtitle, ≤ 256 characters.")
    summary_text: str = strawberry.field(default="", description="Summary, ≤ 2,000 characters.")
    cover_image_src: str | None = strawberry.field(
        default=None, description="Cover image URL, ≤ 2,048 characters."
    )


@strawberry.type(description="Result of `saveArchiveUpsert`.")
class SaveArchiveUpsertPayload:
    errors: list[ProfileErrorType] = strawberry.field(description=ERRORS)
    save_archive: SaveArchive | None = strawberry.field(description="The slot, on success.")


@strawberry.type(description="Result of `saveArchiveDelete`.")
class SaveArchiveDeletePayload:
    errors: list[ProfileErrorType] = strawberry.field(description=ERRORS)
    archive_id: strawberry.ID | None = strawberry.field(description="The deleted slot's id.")


@strawberry.input(description="A help-and-feedback message.")
class FeedbackSubmissionCreateInput:
    description: str = strawberry.field(description="The problem, 1 to 2,000 characters.")
    contact_phone: str | None = strawberry.field(
        default=None, description="Optional phone to call back; national numbers read as +86."
    )
    images: list[str] = strawberry.field(
        default_factory=list,
        description="Up to 4 images as `data:…;base64,…` URLs, 2 MiB each decoded; PNG, JPEG "
        "or WebP, checked by their bytes. Requests over MAX_BODY_BYTES (1 MiB by default) "
        "are refused with 413 before this runs: see docs/profile.md.",
    )


@strawberry.type(description="Result of `feedbackSubmissionCreate`.")
class FeedbackSubmissionCreatePayload:
    errors: list[ProfileErrorType] = strawberry.field(description=ERRORS)
    feedback_submission: FeedbackSubmission | None = strawberry.field(
        description="The stored submission (evidence metadata only), on success."
    )


ARCHIVE_ID = "A save slot of the viewer (`SaveArchive.id`); NOT_FOUND for any other."


@strawberry.type
class ProfileMutation:
    @strawberry.mutation(
        description="Change music volume and/or theme.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def runtime_setting_update(
        self,
        info: Info,
        input: Annotated[
            RuntimeSettingUpdateInput, strawberry.argument(description="What to change.")
        ],
    ) -> RuntimeSettingUpdatePayload:
        settings = await runtime_settings.update_runtime_settings(
            viewer=info.context.principal,
            music_volume=input.music_volume,
            platform_theme=input.platform_theme,
        )
        return RuntimeSettingUpdatePayload(
            errors=[], runtime_setting=RuntimeSettingType.from_settings(settings)
        )

    @strawberry.mutation(
        description="Replace the current snapshot (version + 1).",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def runtime_snapshot_save(
        self,
        info: Info,
        input: Annotated[RuntimeSnapshotSaveInput, strawberry.argument(description="The state.")],
    ) -> RuntimeSnapshotPayload:
        row = await snapshot.save_snapshot(
            viewer=info.context.principal,
            bottom_tab=input.bottom_tab,
            game_state=input.game_state,
            current_story=input.current_story,
        )
        return RuntimeSnapshotPayload(
            errors=[], runtime_snapshot=RuntimeSnapshotType.from_snapshot(row)
        )

    @strawberry.mutation(
        description="Record a visit: one row per (owner, profile), moved to the top.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def browse_history_record(
        self,
        info: Info,
        input: Annotated[BrowseHistoryRecordInput, strawberry.argument(description="The world.")],
    ) -> BrowseHistoryRecordPayload:
        row = await browse_history.record_visit(
            viewer=info.context.principal,
            visit=BrowseVisit(
                owner_user_id=object_id(input.owner_user_id, User),
                profile_id=work_object_id(input.profile_id),
                world_name=input.world_name,
                subtitle=input.subtitle,
                summary_text=input.summary_text,
                cover_image_src=input.cover_image_src,
                theme_mode=input.theme_mode,
                author_display_name=input.author_display_name,
            ),
        )
        return BrowseHistoryRecordPayload(errors=[], entry=BrowseHistoryEntry.from_visit(row))

    @strawberry.mutation(
        description="Remove every row of the viewer's browse history.",
        permission_classes=[IsAuthenticated],
    )
    async def browse_history_clear(self, info: Info) -> BrowseHistoryClearPayload:
        deleted = await browse_history.clear_browse_history(viewer=info.context.principal)
        return BrowseHistoryClearPayload(errors=[], deleted_count=deleted)

    @strawberry.mutation(
        description="Write the viewer's slot for a world (created, or overwritten in place "
        "and moved to the top).",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def save_archive_upsert(
        self,
        info: Info,
        input: Annotated[SaveArchiveUpsertInput, strawberry.argument(description="The slot.")],
    ) -> SaveArchiveUpsertPayload:
        row = await archives.save_archive(
            viewer=info.context.principal,
            archive=archives.ArchiveInput(
                world_key=input.world_key,
                world_name=input.world_name,
                bottom_tab=input.bottom_tab,
                game_state=input.game_state,
                current_story=input.current_story,
                owner_user_id=optional_object_id(input.owner_user_id, User),
                profile_id=None if input.profile_id is None else work_object_id(input.profile_id),
                world_type=input.world_type,
                subtitle=input.subtitle,
                summary_text=input.summary_text,
                cover_image_src=input.cover_image_src,
            ),
        )
        return SaveArchiveUpsertPayload(errors=[], save_archive=SaveArchive.from_slot(row))

    @strawberry.mutation(
        description="Copy a save slot into the current snapshot (version + 1).",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def save_archive_resume(
        self,
        info: Info,
        archive_id: Annotated[strawberry.ID, strawberry.argument(description=ARCHIVE_ID)],
    ) -> RuntimeSnapshotPayload:
        row = await archives.resume_archive(
            viewer=info.context.principal, archive_id=str(archive_id)
        )
        return RuntimeSnapshotPayload(
            errors=[], runtime_snapshot=RuntimeSnapshotType.from_snapshot(row)
        )

    @strawberry.mutation(
        description="Delete a save slot.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def save_archive_delete(
        self,
        info: Info,
        archive_id: Annotated[strawberry.ID, strawberry.argument(description=ARCHIVE_ID)],
    ) -> SaveArchiveDeletePayload:
        deleted = await archives.delete_archive(
            viewer=info.context.principal, archive_id=str(archive_id)
        )
        return SaveArchiveDeletePayload(errors=[], archive_id=strawberry.ID(deleted))

    @strawberry.mutation(
        description="Send help-and-feedback; images are stored privately and only their "
        "metadata is ever returned.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def feedback_submission_create(
        self,
        info: Info,
        input: Annotated[
            FeedbackSubmissionCreateInput, strawberry.argument(description="The message.")
        ],
    ) -> FeedbackSubmissionCreatePayload:
        row = await feedback.submit_feedback(
            viewer=info.context.principal,
            description=input.description,
            contact_phone=input.contact_phone,
            images=input.images,
        )
        return FeedbackSubmissionCreatePayload(
            errors=[], feedback_submission=FeedbackSubmission.from_feedback(row)
        )
