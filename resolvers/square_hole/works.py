"""Reading square-hole works, and who may see or bind to a work.

A draft work is its owner's alone; a published one is anyone's. The cover binding follows
the same rule (entity kind `square_hole_work`, `ENTITY_POLICIES`, listed by the plugin):
only the work's owner binds, anyone views a published work's cover. Lists cost one
statement each.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from db.tables.square_hole import SquareHoleWorkProfile
from resolvers.assets.entities import EntityPolicy
from resolvers.creation import turns
from resolvers.errors import NotFound
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.gallery.play_types import PlayType
from resolvers.pagination import Page, keyset_page
from resolvers.principal import Principal
from resolvers.square_hole.model import WORK_ENTITY

NOT_FOUND_MESSAGE = "No such square-hole work."


def visible(row: dict[str, Any] | None, user_id: str | None) -> bool:
    return row is not None and (
        row["publication_status"] == WorkPublicationStatus.PUBLISHED.value
        or (user_id is not None and row["owner_user_id"] == user_id)
    )


async def works_by_work_id(work_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    if not work_ids:
        return {}
    rows = (
        await SquareHoleWorkProfile.select()
        .where(SquareHoleWorkProfile.profile_id.is_in(list(work_ids)))
        .output(load_json=True)
    )
    return {row["profile_id"]: row for row in rows}


async def works_by_session(session_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    if not session_ids:
        return {}
    rows = (
        await SquareHoleWorkProfile.select()
        .where(SquareHoleWorkProfile.source_session_id.is_in(list(session_ids)))
        .output(load_json=True)
    )
    return {row["source_session_id"]: row for row in rows}


async def visible_work(*, viewer: Principal, work_id: str) -> dict[str, Any]:
    """A published work, or the viewer's own draft; NOT_FOUND otherwise."""
    row = (await works_by_work_id([work_id])).get(work_id)
    if row is not None and row["owner_user_id"] == viewer.user_id and row["source_session_id"]:
        await turns.settle_sessions(
            play_type=PlayType.SQUARE_HOLE, session_ids=[row["source_session_id"]]
        )
        row = (await works_by_work_id([work_id])).get(work_id)
    if not visible(row, viewer.user_id):
        raise NotFound(NOT_FOUND_MESSAGE)
    assert row is not None
    return row


async def works_of(
    *,
    user_id: str,
    status: WorkPublicationStatus | None,
    first: int | None,
    after: str | None,
) -> Page[dict[str, Any]]:
    """The user's works (drafts and published), most recently changed first."""
    await turns.settle_owner(owner_user_id=user_id)
    where: Any = SquareHoleWorkProfile.owner_user_id == user_id
    if status is not None:
        where &= SquareHoleWorkProfile.publication_status == status.value
    return await keyset_page(
        SquareHoleWorkProfile,
        SquareHoleWorkProfile.updated_at,
        SquareHoleWorkProfile.profile_id,
        first=first,
        after=after,
        where=where,
        load_json=True,
    )


# --- asset entity policies -----------------------------------------------------------------


async def _work_for_binding(work_id: str) -> dict[str, Any] | None:
    return (
        await SquareHoleWorkProfile.select(
            SquareHoleWorkProfile.owner_user_id, SquareHoleWorkProfile.publication_status
        )
        .where(SquareHoleWorkProfile.profile_id == work_id)
        .first()
    )


async def _may_bind_work(user_id: str, work_id: str) -> bool:
    row = await _work_for_binding(work_id)
    return row is not None and row["owner_user_id"] == user_id


async def _may_view_work(user_id: str | None, work_id: str) -> bool:
    return visible(await _work_for_binding(work_id), user_id)


# The plugin's asset entity kinds (resolvers/square_hole/plugin.py).
ENTITY_POLICIES = {WORK_ENTITY: EntityPolicy(can_bind=_may_bind_work, can_view=_may_view_work)}
