"""Reading puzzle works and events, and who may see or change a work.

The work reads are the shared ones (resolvers/play_types/works.py). A draft work is its
owner's alone; a published one is anyone's. Asset bindings follow the same rule (entity
kinds `puzzle_work`, `puzzle_level`: `ENTITY_POLICIES`, which the plugin lists): only the
work's owner binds, anyone views a published work's images. Lists cost one statement
each.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from resolvers.assets.entities import EntityPolicy, entity_is_profile
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.gallery.play_types import PlayType
from resolvers.play_types import works as shared
from resolvers.play_types.works import may_read
from resolvers.puzzle import drafts
from resolvers.puzzle.model import (
    LEVEL_ENTITY,
    WORK_ENTITY,
)
from resolvers.puzzle.rows import PuzzleEventRow, PuzzleWorkLevel, PuzzleWorkRow
from resolvers.puzzle.store import works as work_store
from resolvers.runs.rows import json_value

NOT_FOUND_MESSAGE = "No such puzzle work."

READS = shared.WorkReads(
    play_type=PlayType.PUZZLE,
    profile_table=work_store.TABLES.profile,
    not_found_message=NOT_FOUND_MESSAGE,
    row=PuzzleWorkRow.from_row,
)
works_by_work_id = READS.works_by_id
works_by_session = READS.works_by_session
visible_work = READS.visible_work
works_of = READS.works_of


async def published_work_by_code(public_work_code: str) -> PuzzleWorkRow | None:
    return await work_store.published_work_by_code(public_work_code)


async def events_by_ids(event_ids: list[str]) -> dict[str, PuzzleEventRow]:
    """Puzzle events by id, one statement (subscribers load a batch at once)."""
    return await work_store.events_by_ids(event_ids)


# --- asset entity policies -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Binding:
    """What the asset policies read of a work: who owns it, whether it is published, and
    the levels of the work and of its session's draft (`draft_json` as stored)."""

    owner_user_id: str
    publication_status: WorkPublicationStatus
    level_ids: tuple[str, ...]
    draft_json: Any

    def visible_to(self, user_id: str | None) -> bool:
        return may_read(
            publication_status=self.publication_status,
            owner_user_id=self.owner_user_id,
            user_id=user_id,
        )


async def _work_for_binding(work_id: str) -> _Binding | None:
    row = await work_store.binding_row(work_id)
    if row is None:
        return None
    return _Binding(
        owner_user_id=row["owner_user_id"],
        publication_status=WorkPublicationStatus(row["publication_status"]),
        level_ids=tuple(
            PuzzleWorkLevel.from_json(level).level_id
            for level in json_value(row["levels_json"]) or []
        ),
        draft_json=json_value(row["draft_json"]),
    )


async def _may_bind_work(user_id: str, work_id: str) -> bool:
    row = await _work_for_binding(work_id)
    return row is not None and row.owner_user_id == user_id


async def _may_view_work(user_id: str | None, work_id: str) -> bool:
    row = await _work_for_binding(work_id)
    return row is not None and row.visible_to(user_id)


def _split_level(entity_id: str) -> tuple[str, str] | None:
    work_id, dot, level_id = entity_id.partition(".")
    return (work_id, level_id) if dot and work_id and level_id else None


async def _may_bind_level(user_id: str, entity_id: str) -> bool:
    """The work's owner, for a level of the session's draft or of the published work."""
    parts = _split_level(entity_id)
    if parts is None:
        return False
    row = await _work_for_binding(parts[0])
    if row is None or row.owner_user_id != user_id:
        return False
    known = set(row.level_ids) | {
        level.level_id for level in drafts.stored_draft(row.draft_json).levels
    }
    return parts[1] in known


async def _profile_of_level(entity_id: str) -> str | None:
    parts = _split_level(entity_id)
    return parts[0] if parts else None


async def _may_view_level(user_id: str | None, entity_id: str) -> bool:
    if (parts := _split_level(entity_id)) is None:
        return False
    row = await _work_for_binding(parts[0])
    return row is not None and row.visible_to(user_id)


# The plugin's asset entity kinds (resolvers/puzzle/plugin.py).
ENTITY_POLICIES = {
    WORK_ENTITY: EntityPolicy(
        can_bind=_may_bind_work, can_view=_may_view_work, profile_of=entity_is_profile
    ),
    LEVEL_ENTITY: EntityPolicy(
        can_bind=_may_bind_level, can_view=_may_view_level, profile_of=_profile_of_level
    ),
}
