"""Reading square-hole works, and who may see or bind to a work.

The reads are the shared ones (resolvers/play_types/works.py) on the square hole's work
profile table. The cover binding follows the same rule as the work (entity kind
`square_hole_work`, `ENTITY_POLICIES`, listed by the plugin): only the work's owner binds,
anyone views a published work's cover.
"""

from __future__ import annotations

from resolvers.gallery.play_types import PlayType
from resolvers.play_types import works as shared
from resolvers.square_hole.model import WORK_ENTITY
from resolvers.square_hole.rows import SquareHoleWorkRow
from resolvers.square_hole.store import works as work_store

NOT_FOUND_MESSAGE = "No such square-hole work."

READS = shared.WorkReads(
    play_type=PlayType.SQUARE_HOLE,
    profile_table=work_store.TABLES.profile,
    not_found_message=NOT_FOUND_MESSAGE,
    row=SquareHoleWorkRow.from_row,
)
works_by_work_id = READS.works_by_id
works_by_session = READS.works_by_session
visible_work = READS.visible_work
works_of = READS.works_of

# The plugin's asset entity kinds (resolvers/square_hole/plugin.py).
ENTITY_POLICIES = {WORK_ENTITY: READS.work_policy()}
