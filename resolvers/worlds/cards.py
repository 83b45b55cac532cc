"""The draft cards of a custom world (`custom_world_draft_card`): one per character, place
and chapter of the session's draft, rewritten from the draft at every write
(`sync_cards`, in the world's transaction), and their image state from the bindings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from db.sql import value_rows
from db.tables.worlds import CustomWorldDraftCard
from resolvers.assets.bound import bound_assets
from resolvers.assets.rows import BindingTarget
from resolvers.play_types.rows import as_json
from resolvers.worlds.derived import card_warnings
from resolvers.worlds.drafts import (
    CustomWorldDraft,
    DraftChapter,
    DraftCharacter,
    DraftPlace,
    kind_of,
)
from resolvers.worlds.model import (
    CARD_ENTITY_KIND,
    CARD_IMAGE_SLOT,
    AssetStatus,
    CardKind,
    CardStatus,
)

Card = CustomWorldDraftCard


async def card_images(card_ids: list[str]) -> set[str]:
    """Which of these cards have an image bound (one statement)."""
    if not card_ids:
        return set()
    bound = await bound_assets([BindingTarget(CARD_ENTITY_KIND, card_ids, CARD_IMAGE_SLOT)])
    return {asset.entity_id for asset in bound}


def asset_status_of(kind: CardKind, has_image: bool) -> tuple[AssetStatus | None, str | None]:
    if kind is CardKind.CHAPTER:
        return None, None
    noun = "Portrait" if kind is CardKind.CHARACTER else "Image"
    if has_image:
        return AssetStatus.BOUND, f"{noun} bound"
    return AssetStatus.MISSING, f"No {noun.lower()} yet"


@dataclass(frozen=True, slots=True)
class CardValues:
    """A card's columns (without ids and times) as one draft element determines them;
    `detail` is the free-form `detail_payload_json`."""

    kind: CardKind
    status: CardStatus
    title: str
    subtitle: str
    summary: str
    linked_ids: list[str]
    warning_count: int
    asset_status: AssetStatus | None
    asset_status_label: str | None
    detail: dict[str, Any]


def card_values(
    draft: CustomWorldDraft, element: DraftCharacter | DraftPlace | DraftChapter, has_image: bool
) -> CardValues:
    """The card row (without ids and times) of one draft element."""
    kind = kind_of(element)
    detail: dict[str, Any]
    if isinstance(element, DraftCharacter):
        chapters = [c.id for c in draft.chapters if element.id in c.character_ids]
        links = ([element.home_place_id] if element.home_place_id else []) + chapters
        title, subtitle = element.name, element.role
        detail = {
            "playable": element.playable,
            "role": element.role,
            "homePlaceId": element.home_place_id,
        }
    elif isinstance(element, DraftPlace):
        residents = [c.id for c in draft.characters if c.home_place_id == element.id]
        links = residents + [c.id for c in draft.chapters if element.id in c.place_ids]
        title, subtitle = element.name, element.region
        detail = {"region": element.region}
    else:
        number = next(i for i, c in enumerate(draft.chapters, start=1) if c.id == element.id)
        links = [*element.character_ids, *element.place_ids]
        title, subtitle = element.title, f"Chapter {number}"
        detail = {
            "order": number,
            "characterIds": list(element.character_ids),
            "placeIds": list(element.place_ids),
        }
    status, label = asset_status_of(kind, has_image)
    return CardValues(
        kind=kind,
        status=element.status,
        title=title,
        subtitle=subtitle,
        summary=element.summary,
        linked_ids=list(dict.fromkeys(links)),
        warning_count=len(card_warnings(element)),
        asset_status=status,
        asset_status_label=label,
        detail=detail,
    )


async def sync_cards(session_id: str, draft: CustomWorldDraft, now: datetime) -> None:
    elements = draft.elements()
    ids = [element.id for element in elements]
    if not ids:
        await Card.delete().where(Card.session_id == session_id)
        return
    await Card.delete().where((Card.session_id == session_id) & Card.card_id.not_in(ids))
    images = await card_images(ids)
    arguments: list[Any] = []
    for element in elements:
        card = card_values(draft, element, element.id in images)
        arguments += [
            element.id,
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
        f"detail_payload_json, created_at, updated_at) VALUES {value_rows(len(elements), 14)} "
        "ON CONFLICT (card_id) DO UPDATE SET kind = excluded.kind, status = excluded.status, "
        "title = excluded.title, subtitle = excluded.subtitle, summary = excluded.summary, "
        "linked_ids_json = excluded.linked_ids_json, warning_count = excluded.warning_count, "
        "asset_status = excluded.asset_status, asset_status_label = excluded.asset_status_label, "
        "detail_payload_json = excluded.detail_payload_json, updated_at = excluded.updated_at "
        "WHERE custom_world_draft_card.session_id = excluded.session_id",
        *arguments,
    )
