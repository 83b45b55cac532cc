"""Statements on draft cards (`custom_world_draft_card`): one per character, place and
chapter of a session's draft, rewritten from the draft at every write."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from db.sql import value_rows
from db.tables.worlds import CustomWorldDraftCard, CustomWorldProfile
from resolvers.play_types.rows import as_json
from resolvers.worlds.model import CardValues
from resolvers.worlds.rows import DraftCardRow

Card = CustomWorldDraftCard


async def delete_cards_except(*, session_id: str, keep: Sequence[str]) -> None:
    """Delete the session's cards whose ids are not in `keep` (all of them when empty)."""
    if not keep:
        await Card.delete().where(Card.session_id == session_id)
        return
    await Card.delete().where((Card.session_id == session_id) & Card.card_id.not_in(list(keep)))


async def upsert_cards(
    *, session_id: str, cards: Sequence[tuple[str, CardValues]], now: datetime
) -> None:
    """Insert or rewrite the session's cards (`(card id, values)`, at least one)."""
    arguments: list[Any] = []
    for card_id, card in cards:
        arguments += [
            card_id,
            session_id,
            card.kind.value,
            card.status.value,
            card.title,
            card.subtitle,
            card.summary,
            as_json(card.linked_ids),
            card.warning_count,
            card.asset_status.value if card.asset_status else None,
            card.asset_status_label,
            as_json(card.detail),
            now,
            now,
        ]
    # A card id belongs to one session forever: the upsert never moves a card.
    # Raw: a multi-row upsert whose DO UPDATE WHERE compares the stored row with `excluded`.
    await Card.raw(
        "INSERT INTO custom_world_draft_card (card_id, session_id, kind, status, title, "
        "subtitle, summary, linked_ids_json, warning_count, asset_status, asset_status_label, "
        f"detail_payload_json, created_at, updated_at) VALUES {value_rows(len(cards), 14)} "
        "ON CONFLICT (card_id) DO UPDATE SET kind = excluded.kind, status = excluded.status, "
        "title = excluded.title, subtitle = excluded.subtitle, summary = excluded.summary, "
        "linked_ids_json = excluded.linked_ids_json, warning_count = excluded.warning_count, "
        "asset_status = excluded.asset_status, asset_status_label = excluded.asset_status_label, "
        "detail_payload_json = excluded.detail_payload_json, updated_at = excluded.updated_at "
        "WHERE custom_world_draft_card.session_id = excluded.session_id",
        *arguments,
    )


async def session_of_card(card_id: str) -> str | None:
    """The session a card belongs to."""
    row = await Card.select(Card.session_id).where(Card.card_id == card_id).first()
    return row["session_id"] if row else None


async def cards_of_sessions(session_ids: Sequence[str]) -> list[DraftCardRow]:
    """The cards of these sessions (not empty), by session, then creation, then id."""
    rows = await (
        Card.select()
        .where(Card.session_id.is_in(list(session_ids)))
        .order_by(Card.session_id, Card.created_at)
        .order_by(Card.card_id)
        .output(load_json=True)
    )
    return [DraftCardRow.from_row(row) for row in rows]


async def owned_card(*, card_id: str, owner_user_id: str) -> DraftCardRow | None:
    """The card if it belongs to one of the owner's live worlds."""
    profile = CustomWorldProfile
    # No foreign key links a card to its profile: the owner's live sessions, as a subquery.
    live = profile.select(profile.source_agent_session_id).where(
        (profile.owner_user_id == owner_user_id) & profile.deleted_at.is_null()
    )
    row = await (
        Card.select()
        .where((Card.card_id == card_id) & Card.session_id.is_in(live))
        .output(load_json=True)
        .first()
    )
    return DraftCardRow.from_row(row) if row is not None else None


async def cards_with_ids(card_ids: Sequence[str]) -> list[DraftCardRow]:
    """The cards among `card_ids` (not empty)."""
    rows = await Card.select().where(Card.card_id.is_in(list(card_ids))).output(load_json=True)
    return [DraftCardRow.from_row(row) for row in rows]
