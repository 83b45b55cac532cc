"""Reading visual-novel works, and who may see or change a work.

The reads are the shared ones (resolvers/play_types/works.py) on the visual novel's work
profile table. Asset bindings of the entity kind `visual_novel_work` (`ENTITY_POLICIES`,
which the plugin lists) follow the same rule as the work: only the work's owner binds (its
cover and its scenes' images), anyone views a published work's images.
"""

from __future__ import annotations

from resolvers.gallery.play_types import PlayType
from resolvers.play_types import works as shared
from resolvers.visual_novel.model import WORK_ENTITY
from resolvers.visual_novel.rows import VisualNovelWorkRow
from resolvers.visual_novel.store import works as work_store

NOT_FOUND_MESSAGE = "No such visual novel."

READS = shared.WorkReads(
    play_type=PlayType.VISUAL_NOVEL,
    profile_table=work_store.TABLES.profile,
    not_found_message=NOT_FOUND_MESSAGE,
    row=VisualNovelWorkRow.from_row,
)
works_by_id = READS.works_by_id
works_by_session = READS.works_by_session
visible_work = READS.visible_work
works_of = READS.works_of


# The plugin's asset entity kinds (resolvers/visual_novel/plugin.py).
ENTITY_POLICIES = {WORK_ENTITY: READS.work_policy()}
