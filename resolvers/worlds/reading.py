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

from resolvers.creation import turns
from resolvers.errors import NotFound
from resolvers.pagination import Page, build_page, decode_cursor, page_size
from resolvers.principal import Principal
from resolvers.worlds.errors import NOT_FOUND_CARD, NOT_FOUND_SESSION
from resolvers.worlds.keysets import moment_of, time_key
from resolvers.worlds.model import PLAY_TYPE, CardKind
from resolvers.worlds.rows import AgentOperationRow, AgentSessionRow, DraftCardRow
from resolvers.worlds.store import cards as card_store
from resolvers.worlds.store.messages import latest_operations
from resolvers.worlds.store.sessions import sessions_page, sessions_with_ids

MAX_OPERATIONS = 20


# --- agent sessions ------------------------------------------------------------------------


async def sessions_by_ids(session_ids: Sequence[str]) -> dict[str, AgentSessionRow]:
    """Live agent sessions (with their `profile_id`) by id, one statement."""
    ids = sorted(set(session_ids))
    if not ids:
        return {}
    return {row.session_id: row for row in await sessions_with_ids(ids)}


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
    position = None
    if after is not None:
        moment, session_id = decode_cursor(after, size=2)
        position = (moment_of(moment), str(session_id))
    items = await sessions_page(user_id=user_id, after=position, limit=size + 1)
    return build_page(items, size, lambda row: time_key(row.updated_at, row.session_id))


async def operations_of(session_ids: Sequence[str]) -> dict[str, list[AgentOperationRow]]:
    """Each session's latest operations (at most 20, newest first) with their AI task id,
    one statement."""
    ids = sorted(set(session_ids))
    grouped: dict[str, list[AgentOperationRow]] = {session_id: [] for session_id in ids}
    if not ids:
        return grouped
    for row in await latest_operations(session_ids=ids, per_session=MAX_OPERATIONS):
        grouped[row.session_id].append(row)
    return grouped


# --- cards ---------------------------------------------------------------------------------


async def cards_of(session_ids: Sequence[str]) -> dict[str, list[DraftCardRow]]:
    """Each session's cards: characters, then places, then chapters, in draft order
    (one statement)."""
    ids = sorted(set(session_ids))
    grouped: dict[str, list[DraftCardRow]] = {session_id: [] for session_id in ids}
    if not ids:
        return grouped
    rows = await card_store.cards_of_sessions(ids)
    order = {kind: index for index, kind in enumerate(CardKind)}
    for row in sorted(rows, key=lambda r: (r.session_id, order[r.kind])):
        grouped[row.session_id].append(row)
    return grouped


async def owned_card(*, viewer: Principal, card_id: str) -> DraftCardRow:
    """The viewer's card of a live world; NOT_FOUND otherwise."""
    owner = viewer.require_user()
    row = await card_store.owned_card(card_id=card_id, owner_user_id=owner)
    if row is None:
        raise NotFound(NOT_FOUND_CARD)
    return row


async def cards_by_ids(card_ids: Sequence[str]) -> dict[str, DraftCardRow]:
    ids = sorted(set(card_ids))
    if not ids:
        return {}
    return {row.card_id: row for row in await card_store.cards_with_ids(ids)}
