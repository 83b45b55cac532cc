"""The payloads of the profile mutations: what was written, or `errors` saying why not."""

from __future__ import annotations

import strawberry

from schema.profile.types import (
    BrowseHistoryEntry,
    FeedbackSubmission,
    ProfileErrorType,
    RuntimeSettingType,
    RuntimeSnapshotType,
    SaveArchive,
)

ERRORS = "Empty on success; otherwise why nothing was written."


@strawberry.type(description="Result of `runtimeSettingUpdate`.")
class RuntimeSettingUpdatePayload:
    errors: list[ProfileErrorType] = strawberry.field(description=ERRORS)
    runtime_setting: RuntimeSettingType | None = strawberry.field(
        description="The settings now in force, on success."
    )


@strawberry.type(description="Result of `runtimeSnapshotSave` and `saveArchiveResume`.")
class RuntimeSnapshotPayload:
    errors: list[ProfileErrorType] = strawberry.field(description=ERRORS)
    runtime_snapshot: RuntimeSnapshotType | None = strawberry.field(
        description="The snapshot now current, on success."
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


@strawberry.type(description="Result of `saveArchiveUpsert`.")
class SaveArchiveUpsertPayload:
    errors: list[ProfileErrorType] = strawberry.field(description=ERRORS)
    save_archive: SaveArchive | None = strawberry.field(description="The slot, on success.")


@strawberry.type(description="Result of `saveArchiveDelete`.")
class SaveArchiveDeletePayload:
    errors: list[ProfileErrorType] = strawberry.field(description=ERRORS)
    archive_id: strawberry.ID | None = strawberry.field(description="The deleted slot's id.")


@strawberry.type(description="Result of `feedbackSubmissionCreate`.")
class FeedbackSubmissionCreatePayload:
    errors: list[ProfileErrorType] = strawberry.field(description=ERRORS)
    feedback_submission: FeedbackSubmission | None = strawberry.field(
        description="The stored submission (evidence metadata only), on success."
    )
