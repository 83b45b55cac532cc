"""Reading custom worlds' agent sessions (with their operations) and draft cards: owner
checks, keyset pages, and batched loads for lists. Works and the public read model are
read in resolvers/worlds/work_reads.py.

Soft-deleted worlds (and their sessions and cards) are invisible everywhere: every read
here filters on `deleted_at IS NULL`. Another user's private object is NOT_FOUND. Reads of
agent sessions first apply finished agent turns (the creation framework's `settle_*`: one
statement when there is nothing to apply). Every batch function costs one statement
whatever the number of ids, so a list costs a constant number of statements.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from db.sql import marks
from db.tables.worlds import CustomWorldAgentOperation, CustomWorldDraftCard, CustomWorldProfile
from resolvers.creation import turns
from resolvers.creation.store.fragments import operation_join
from resolvers.errors import NotFound
from resolvers.pagination import Page, build_page, decode_cursor, page_size
from resolvers.principal import Principal
from resolvers.worlds.errors import NOT_FOUND_CARD, NOT_FOUND_SESSION
from resolvers.worlds.keysets import moment_of, time_key
from resolvers.worlds.model import PLAY_TYPE, CardKind
from resolvers.worlds.rows import AgentOperationRow, AgentSessionRow, DraftCardRow

MAX_OPERATIONS = 20


# --- agent sessions ------------------------------------------------------------------------

_SESSION_SELECT = (
    "SELECT s.*, p.profile_id FROM custom_world_agent_session s "
    "JOIN custom_world_profile p ON p.source_agent_session_id = s.session_id "
    "WHERE p.deleted_at IS NULL"
)


async def sessions_by_ids(session_ids: Sequence[str]) -> dict[str, AgentSessionRow]:
    """Live agent sessions (with their `profile_id`) by id, one statement."""
    ids = sorted(set(session_ids))
    if not ids:
        return {}
    # Raw: the profile's `profile_id` beside the session's columns, a join on a column no
    # foreign key declares.
    rows = await CustomWorldProfile.raw(
        f"{_SESSION_SELECT} AND s.session_id IN ({marks(ids)})", *ids
    )
    return {row["session_id"]: AgentSessionRow.from_row(row) for row in rows}


async def owned_session(*, viewer: Principal, session_id: str) -> AgentSessionRow:
    """The viewer's live agent session (finished turns applied first)."""
    owner = viewer.require_user()
    await turns.settle_sessions(play_type=PLAY_TYPE, session_ids=[session_id])
    row = (await sessions_by_ids([session_id])).get(session_id)
    if row is None or row.owner_user_id != owner:
        raise NotFound(NOT_FOUND_SESSION)
    return row


async def sessions_of(
    *, user_id: str, first: int | None, after: str | None
) -> Page[AgentSessionRow]:
    """The user's live agent sessions, most recently changed first (one statement, after
    settling finished turns)."""
    size = page_size(first)
    await turns.settle_owner(owner_user_id=user_id)
    condition = ""
    arguments: list[Any] = [user_id]
    if after is not None:
        moment, session_id = decode_cursor(after, size=2)
        condition = " AND (s.updated_at < {} OR (s.updated_at = {} AND s.session_id < {}))"
        arguments += [moment_of(moment), moment_of(moment), str(session_id)]
    # Raw: the profile's `profile_id` beside the session's columns, a join on a column no
    # foreign key declares.
    rows = await CustomWorldProfile.raw(
        f"{_SESSION_SELECT} AND s.owner_user_id = {{}}{condition} "
        f"ORDER BY s.updated_at DESC, s.session_id DESC LIMIT {size + 1}",
        *arguments,
    )
    items = [AgentSessionRow.from_row(row) for row in rows]
    return build_page(items, size, lambda row: time_key(row.updated_at, row.session_id))


async def operations_of(session_ids: Sequence[str]) -> dict[str, list[AgentOperationRow]]:
    """Each session's latest operations (at most 20, newest first) with their AI task id,
    one statement."""
    ids = sorted(set(session_ids))
    grouped: dict[str, list[AgentOperationRow]] = {session_id: [] for session_id in ids}
    if not ids:
        return grouped
    # Raw: the window function (ROW_NUMBER per session) and the AI tasks' join fragment.
    rows = await CustomWorldAgentOperation.raw(
        "SELECT * FROM (SELECT o.*, c.task_id, ROW_NUMBER() OVER (PARTITION BY o.session_id "
        "ORDER BY o.created_at DESC, o.operation_id DESC) AS position "
        f"FROM custom_world_agent_operation o {operation_join('o.operation_id')} "
        f"WHERE o.session_id IN ({marks(ids)})) "
        f"ranked WHERE position <= {MAX_OPERATIONS} "
        "ORDER BY session_id, created_at DESC, operation_id DESC",
        *ids,
    )
    for row in rows:
        grouped[row["session_id"]].append(AgentOperationRow.from_row(row))
    return grouped


# --- cards ---------------------------------------------------------------------------------


async def cards_of(session_ids: Sequence[str]) -> dict[str, list[DraftCardRow]]:
    """Each session's cards: characters, then places, then chapters, in draft order
    (one statement)."""
    ids = sorted(set(session_ids))
    grouped: dict[str, list[DraftCardRow]] = {session_id: [] for session_id in ids}
    if not ids:
        return grouped
    rows = await (
        CustomWorldDraftCard.select()
        .where(CustomWorldDraftCard.session_id.is_in(ids))
        .order_by(CustomWorldDraftCard.session_id, CustomWorldDraftCard.created_at)
        .order_by(CustomWorldDraftCard.card_id)
        .output(load_json=True)
    )
    order = {kind.value: index for index, kind in enumerate(CardKind)}
    for row in sorted(rows, key=lambda r: (r["session_id"], order[r["kind"]])):
        grouped[row["session_id"]].append(DraftCardRow.from_row(row))
    return grouped


async def owned_card(*, viewer: Principal, card_id: str) -> DraftCardRow:
    """The viewer's card of a live world; NOT_FOUND otherwise."""
    owner = viewer.require_user()
    card, profile = CustomWorldDraftCard, CustomWorldProfile
    # No foreign key links a card to its profile: the owner's live sessions, as a subquery.
    live = profile.select(profile.source_agent_session_id).where(
        (profile.owner_user_id == owner) & profile.deleted_at.is_null()
    )
    row = await (
        card.select()
        .where((card.card_id == card_id) & card.session_id.is_in(live))
        .output(load_json=True)
        .first()
    )
    if row is None:
        raise NotFound(NOT_FOUND_CARD)
    return DraftCardRow.from_row(row)


async def cards_by_ids(card_ids: Sequence[str]) -> dict[str, DraftCardRow]:
    ids = sorted(set(card_ids))
    if not ids:
        return {}
    rows = await (
        CustomWorldDraftCard.select()
        .where(CustomWorldDraftCard.card_id.is_in(ids))
        .output(load_json=True)
    )
    return {row["card_id"]: DraftCardRow.from_row(row) for row in rows}
