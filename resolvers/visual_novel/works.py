"""Reading visual-novel works, and who may see or change a work.

The reads are the shared ones (resolvers/play_types/works.py) on the visual novel's work
profile table. Asset bindings of the entity kind `visual_novel_work` (`ENTITY_POLICIES`,
which the plugin lists) follow the same rule as the work: only the work's owner binds (its
cover and its scenes' images), anyone views a published work's images.
"""

from __future__ import annotations

from collections.abc import Sequence

from db.tables.visual_novel import VisualNovelWorkProfile
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.gallery.play_types import PlayType
from resolvers.pagination import Page
from resolvers.play_types import works as shared
from resolvers.principal import Principal
from resolvers.visual_novel.model import WORK_ENTITY
from resolvers.visual_novel.rows import VisualNovelWorkRow

NOT_FOUND_MESSAGE = "No such visual novel."

READS = shared.WorkReads(
    play_type=PlayType.VISUAL_NOVEL,
    profile_table=VisualNovelWorkProfile,
    not_found_message=NOT_FOUND_MESSAGE,
)


# The shared reads return the profile rows as dicts; the schema reads them typed.
async def works_by_id(work_ids: Sequence[str]) -> dict[str, VisualNovelWorkRow]:
    rows = await READS.works_by_id(work_ids)
    return {work_id: VisualNovelWorkRow.from_row(row) for work_id, row in rows.items()}


async def works_by_session(session_ids: Sequence[str]) -> dict[str, VisualNovelWorkRow]:
    rows = await READS.works_by_session(session_ids)
    return {session_id: VisualNovelWorkRow.from_row(row) for session_id, row in rows.items()}


async def visible_work(*, viewer: Principal, work_id: str) -> VisualNovelWorkRow:
    """A published work, or the viewer's own draft; NOT_FOUND otherwise."""
    return VisualNovelWorkRow.from_row(await READS.visible_work(viewer=viewer, work_id=work_id))


async def works_of(
    *, user_id: str, status: WorkPublicationStatus | None, first: int | None, after: str | None
) -> Page[VisualNovelWorkRow]:
    """The user's works (drafts and published), most recently changed first."""
    page = await READS.works_of(user_id=user_id, status=status, first=first, after=after)
    return Page(
        items=[VisualNovelWorkRow.from_row(row) for row in page.items],
        cursors=page.cursors,
        has_next_page=page.has_next_page,
    )


# The plugin's asset entity kinds (resolvers/visual_novel/plugin.py).
ENTITY_POLICIES = {WORK_ENTITY: READS.work_policy()}
