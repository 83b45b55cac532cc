"""Reading Match3D works, and who may see or change a work.

A draft work is its owner's alone; a published one is anyone's. Asset bindings of the
entity kind `match3d_work` (`ENTITY_POLICIES`, which the plugin lists) follow the same
rule: only the work's owner binds (its cover and its items' cut images), anyone views a
published work's images. Lists cost one statement each.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from db.tables.match3d import Match3dWorkProfile
from resolvers.assets.entities import EntityPolicy
from resolvers.creation import turns
from resolvers.errors import NotFound
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.gallery.play_types import PlayType
from resolvers.match3d.model import WORK_ENTITY
from resolvers.match3d.sessions import moment_of
from resolvers.pagination import Page, build_page, decode_cursor, page_size
from resolvers.principal import Principal

NOT_FOUND_MESSAGE = "No such Match3D work."


def visible(row: dict[str, Any] | None, user_id: str | None) -> bool:
    return row is not None and (
        row["publication_status"] == WorkPublicationStatus.PUBLISHED.value
        or (user_id is not None and row["owner_user_id"] == user_id)
    )


async def works_by_id(work_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    if not work_ids:
        return {}
    rows = (
        await Match3dWorkProfile.select()
        .where(Match3dWorkProfile.profile_id.is_in(list(work_ids)))
        .output(load_json=True)
    )
    return {row["profile_id"]: row for row in rows}


async def works_by_session(session_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    if not session_ids:
        return {}
    rows = (
        await Match3dWorkProfile.select()
        .where(Match3dWorkProfile.source_session_id.is_in(list(session_ids)))
        .output(load_json=True)
    )
    return {row["source_session_id"]: row for row in rows}


async def visible_work(*, viewer: Principal, work_id: str) -> dict[str, Any]:
    """A published work, or the viewer's own draft; NOT_FOUND otherwise."""
    row = (await works_by_id([work_id])).get(work_id)
    if row is not None and row["owner_user_id"] == viewer.user_id and row["source_session_id"]:
        await turns.settle_sessions(
            play_type=PlayType.MATCH3D, session_ids=[row["source_session_id"]]
        )
        row = (await works_by_id([work_id])).get(work_id)
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
    size = page_size(first)
    await turns.settle_owner(owner_user_id=user_id)
    query = Match3dWorkProfile.select().where(Match3dWorkProfile.owner_user_id == user_id)
    if status is not None:
        query = query.where(Match3dWorkProfile.publication_status == status.value)
    if after is not None:
        updated_at, profile_id = decode_cursor(after, size=2)
        moment = moment_of(updated_at)
        query = query.where(
            (Match3dWorkProfile.updated_at < moment)
            | (
                (Match3dWorkProfile.updated_at == moment)
                & (Match3dWorkProfile.profile_id < str(profile_id))
            )
        )
    rows = (
        await query.order_by(Match3dWorkProfile.updated_at, ascending=False)
        .order_by(Match3dWorkProfile.profile_id, ascending=False)
        .limit(size + 1)
        .output(load_json=True)
    )
    return build_page(rows, size, lambda row: [row["updated_at"].isoformat(), row["profile_id"]])


# --- asset entity policies -----------------------------------------------------------------


async def _work_for_binding(work_id: str) -> dict[str, Any] | None:
    return (
        await Match3dWorkProfile.select(
            Match3dWorkProfile.owner_user_id, Match3dWorkProfile.publication_status
        )
        .where(Match3dWorkProfile.profile_id == work_id)
        .first()
    )


async def _may_bind_work(user_id: str, work_id: str) -> bool:
    row = await _work_for_binding(work_id)
    return row is not None and row["owner_user_id"] == user_id


async def _may_view_work(user_id: str | None, work_id: str) -> bool:
    return visible(await _work_for_binding(work_id), user_id)


# The plugin's asset entity kinds (resolvers/match3d/plugin.py).
ENTITY_POLICIES = {
    WORK_ENTITY: EntityPolicy(can_bind=_may_bind_work, can_view=_may_view_work),
}
