"""The base of the plugins whose publishing is the shared flow (publication.py).

Puzzle, Match3D and square hole publish, update and unpublish the same way; their plugin
names its `PublicationSpec` and inherits the three contract methods from here instead of
forwarding each to a module of its own.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from resolvers.gallery.model import WorkPublicationStatus
from resolvers.play_types import publication
from resolvers.play_types.contract import PlayTypePlugin
from resolvers.play_types.publication import PublicationSpec
from resolvers.play_types.works import WorkRow
from resolvers.principal import Principal

# The type's frozen work row (what its PublicationSpec builds).
WorkT = TypeVar("WorkT", bound=WorkRow)


class PublishingPlugin(PlayTypePlugin, Generic[WorkT]):
    # The plugin's spec (set on the subclass; not a ClassVar, which cannot be generic).
    publication: PublicationSpec[Any, WorkT]

    async def publish(self, *, viewer: Principal, work_id: str) -> WorkT:
        """Publish a draft work that passes the gate (PUBLISH_BLOCKED lists what is missing)."""
        return await publication.publish(
            self.publication, viewer=viewer, work_id=work_id, expected=WorkPublicationStatus.DRAFT
        )

    async def update(self, *, viewer: Principal, work_id: str) -> WorkT:
        """Publish the session's current draft over a published work (gate included)."""
        return await publication.publish(
            self.publication,
            viewer=viewer,
            work_id=work_id,
            expected=WorkPublicationStatus.PUBLISHED,
        )

    async def unpublish(self, *, viewer: Principal, work_id: str) -> WorkT:
        """Take a published work out of the gallery; it becomes a draft again (code kept)."""
        return await publication.unpublish(self.publication, viewer=viewer, work_id=work_id)
