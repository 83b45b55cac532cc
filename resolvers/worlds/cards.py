"""The draft cards of a custom world (`custom_world_draft_card`): one per character, place
and chapter of the session's draft, rewritten from the draft at every write
(`sync_cards`, in the world's transaction), and their image state from the bindings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from resolvers.assets.bound import bound_assets
from resolvers.assets.rows import BindingTarget
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
    CardValues,
)
from resolvers.worlds.store.cards import delete_cards_except, upsert_cards


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
    """Rewrite the session's cards from `draft`: cards of removed elements go, the others
    are written with their image state."""
    elements = draft.elements()
    ids = [element.id for element in elements]
    await delete_cards_except(session_id=session_id, keep=ids)
    if not ids:
        return
    images = await card_images(ids)
    cards = [
        (element.id, card_values(draft, element, element.id in images)) for element in elements
    ]
    await upsert_cards(session_id=session_id, cards=cards, now=now)
