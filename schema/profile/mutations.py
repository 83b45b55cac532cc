"""Profile mutations: settings, snapshot, browse history, save archives, feedback."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.profile import archives, browse_history, feedback, runtime_settings, snapshot
from resolvers.profile.browse_history import BrowseVisit
from schema.auth.user import User
from schema.context import Info
from schema.gallery.work import work_object_id
from schema.ids import object_id, optional_object_id
from schema.mutation_errors import DomainErrorPayload
from schema.permissions import IsAuthenticated
from schema.profile.inputs import (
    BrowseHistoryRecordInput,
    FeedbackSubmissionCreateInput,
    RuntimeSettingUpdateInput,
    RuntimeSnapshotSaveInput,
    SaveArchiveUpsertInput,
)
from schema.profile.payloads import (
    BrowseHistoryClearPayload,
    BrowseHistoryRecordPayload,
    FeedbackSubmissionCreatePayload,
    RuntimeSettingUpdatePayload,
    RuntimeSnapshotPayload,
    SaveArchiveDeletePayload,
    SaveArchiveUpsertPayload,
)
from schema.profile.types import (
    BrowseHistoryEntry,
    FeedbackSubmission,
    RuntimeSettingType,
    RuntimeSnapshotType,
    SaveArchive,
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
