"""Editing one card of a custom world's draft (a character, place or chapter): it becomes
EDITED, so agent turns keep it, and the publish gate runs again (resolvers/worlds/saving.py
`save_world`, which keeps a published world's read models in step)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from db.transactions import write_transaction
from resolvers import clock
from resolvers.errors import NotFound
from resolvers.principal import Principal
from resolvers.worlds import locking
from resolvers.worlds.drafts import DraftCharacter, DraftPlace, replace
from resolvers.worlds.errors import NOT_FOUND_CARD, WorldError, WorldErrorCode
from resolvers.worlds.gate import cover_of, evaluate
from resolvers.worlds.model import (
    MAX_NAME_LENGTH,
    MAX_SUBTITLE_LENGTH,
    MAX_SUMMARY_LENGTH,
    CardStatus,
)
from resolvers.worlds.saving import save_world
from resolvers.worlds.sessions import SavedWorld, clean_text
from resolvers.worlds.store.cards import session_of_card
from subscriptions import streams


@dataclass(frozen=True, slots=True)
class CardEdit:
    """A card's new values; None leaves a field as it is. `playable` is for characters."""

    title: str | None = None
    subtitle: str | None = None
    summary: str | None = None
    playable: bool | None = None


def _edited(element: Any, edit: CardEdit) -> dict[str, Any]:
    update: dict[str, Any] = {"status": CardStatus.EDITED}
    if edit.title is not None:
        title = clean_text(
            edit.title, field="title", limit=MAX_NAME_LENGTH, code=WorldErrorCode.CARD_FIELD_INVALID
        )
        if not title:
            raise WorldError(
                WorldErrorCode.CARD_FIELD_INVALID, "A card needs a title.", field="title"
            )
        update["title" if not isinstance(element, DraftCharacter | DraftPlace) else "name"] = title
    if edit.subtitle is not None:
        subtitle = clean_text(
            edit.subtitle,
            field="subtitle",
            limit=MAX_SUBTITLE_LENGTH,
            code=WorldErrorCode.CARD_FIELD_INVALID,
        )
        if isinstance(element, DraftCharacter):
            update["role"] = subtitle
        elif isinstance(element, DraftPlace):
            update["region"] = subtitle
        else:
            raise WorldError(
                WorldErrorCode.CARD_FIELD_INVALID,
                "A chapter's subtitle is its number.",
                field="subtitle",
            )
    if edit.summary is not None:
        update["summary"] = clean_text(
            edit.summary,
            field="summary",
            limit=MAX_SUMMARY_LENGTH,
            code=WorldErrorCode.CARD_FIELD_INVALID,
        )
    if edit.playable is not None:
        if not isinstance(element, DraftCharacter):
            raise WorldError(
                WorldErrorCode.CARD_FIELD_INVALID,
                "Only characters can be playable.",
                field="playable",
            )
        update["playable"] = edit.playable
    return update


async def update_card(*, viewer: Principal, card_id: str, edit: CardEdit) -> SavedWorld:
    """Edit one card (it becomes EDITED: agent turns keep it) and re-run the publish gate."""
    owner = viewer.require_user()
    session_id = await session_of_card(card_id)
    if session_id is None:
        raise NotFound(NOT_FOUND_CARD)
    now = clock.now()
    async with write_transaction():
        world = await locking.lock_world(session_id=session_id, owner_user_id=owner, now=now)
        element = world.draft.element(card_id) if world is not None else None
        if world is None or element is None:
            raise NotFound(NOT_FOUND_CARD)
        changed = element.model_copy(update=_edited(element, edit))
        draft = replace(
            world.draft,
            characters=[changed if e.id == card_id else e for e in world.draft.characters],
            places=[changed if e.id == card_id else e for e in world.draft.places],
            chapters=[changed if e.id == card_id else e for e in world.draft.chapters],
        )
        saved, entries = await save_world(world, draft, now=now)
        blockers = evaluate(saved.draft, await cover_of(saved.profile.profile_id))
    await streams.publish(entries)
    return SavedWorld(session=saved.session, profile=saved.profile, blockers=blockers)
