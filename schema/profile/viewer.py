"""The viewer's profile fields (mixed into `Viewer`, schema/auth/types.py)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.auth.rows import UserAccountRow
from resolvers.profile.archives import archives
from resolvers.profile.browse_history import browse_history
from resolvers.profile.feedback import feedback_submissions
from resolvers.profile.runtime_settings import runtime_settings
from resolvers.profile.snapshot import snapshot_of
from schema.profile.types import (
    BrowseHistoryEntry,
    FeedbackSubmission,
    RuntimeSettingType,
    RuntimeSnapshotType,
    SaveArchive,
)
from schema.relay import Connection

FIRST = "Page size, 1 to 100 (default 20)."
AFTER = "`endCursor` of the previous page."


@strawberry.type(description="Profile fields of the viewer.")
class ProfileViewerFields:
    row: strawberry.Private[UserAccountRow]

    @strawberry.field(description="Music volume and theme; defaults until first saved.")
    async def runtime_setting(self) -> RuntimeSettingType:
        return RuntimeSettingType.from_settings(await runtime_settings(user_id=self.row.user_id))

    @strawberry.field(description="The current game snapshot; null before the first save.")
    async def runtime_snapshot(self) -> RuntimeSnapshotType | None:
        snapshot = await snapshot_of(self.row.user_id)
        return RuntimeSnapshotType.from_snapshot(snapshot) if snapshot else None

    @strawberry.field(description="Worlds entered, most recent visit first (one per world).")
    async def browse_history(
        self,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[BrowseHistoryEntry]:
        page = await browse_history(user_id=self.row.user_id, first=first, after=after)
        return Connection[BrowseHistoryEntry].from_page(page, BrowseHistoryEntry.from_visit)

    @strawberry.field(description="Save slots, most recently saved first.")
    async def save_archives(
        self,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[SaveArchive]:
        page = await archives(user_id=self.row.user_id, first=first, after=after)
        return Connection[SaveArchive].from_page(page, SaveArchive.from_slot)

    @strawberry.field(description="Feedback sent, newest first (evidence metadata only).")
    async def feedback_submissions(
        self,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[FeedbackSubmission]:
        page = await feedback_submissions(user_id=self.row.user_id, first=first, after=after)
        return Connection[FeedbackSubmission].from_page(page, FeedbackSubmission.from_feedback)
