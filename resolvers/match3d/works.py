"""Reading Match3D works, and who may see or change a work.

The reads are the shared ones (resolvers/play_types/works.py) on Match3D's work profile
table. Asset bindings of the entity kind `match3d_work` (`ENTITY_POLICIES`, which the
plugin lists) follow the same rule as the work: only the work's owner binds (its cover
and its items' cut images), anyone views a published work's images.
"""

from __future__ import annotations

from resolvers.gallery.play_types import PlayType
from resolvers.match3d.model import WORK_ENTITY
from resolvers.match3d.rows import Match3dWorkRow
from resolvers.match3d.store import works as work_store
from resolvers.play_types import works as shared

NOT_FOUND_MESSAGE = "No such Match3D work."

READS = shared.WorkReads(
    play_type=PlayType.MATCH3D,
    profile_table=work_store.TABLES.profile,
    not_found_message=NOT_FOUND_MESSAGE,
    row=Match3dWorkRow.from_row,
)
works_by_id = READS.works_by_id
works_by_session = READS.works_by_session
visible_work = READS.visible_work
works_of = READS.works_of

# The plugin's asset entity kinds (resolvers/match3d/plugin.py).
ENTITY_POLICIES = {WORK_ENTITY: READS.work_policy()}
