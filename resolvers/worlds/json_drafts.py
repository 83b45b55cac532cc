"""A draft from a model's JSON reply (`GENERATION_BACKEND=openai`): the creation framework
asks the model for `{"reply": "...", "draft": <DRAFT_SHAPE>}` and hands over the draft
object; a draft of the wrong shape or with invalid values raises, and the framework keeps
the previous draft and records a warning.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from resolvers.creation.replies import ReplyUnusable
from resolvers.worlds.derivation import NewId
from resolvers.worlds.drafts import (
    CustomWorldDraft,
    DraftChapter,
    DraftCharacter,
    DraftPlace,
)
from resolvers.worlds.model import (
    AnchorKey,
    CardStatus,
    ThemeMode,
)

# The draft's JSON shape as a model is asked to write it (names, not ids: ids are ours).
DRAFT_SHAPE = (
    '{"worldName": str (<= 40), "subtitle": str (<= 80), "summary": str (<= 1000), '
    f'"themeMode": one of {[theme.value for theme in ThemeMode]}, "tags": [str] (<= 8), '
    '"anchors": {'
    + ", ".join(f'"{key.value}": str' for key in AnchorKey)
    + '} (all eight, each <= 500), "characters": [{"name": str, "role": str, "summary": str, '
    '"playable": bool, "homePlace": <a place name> | null}], "places": [{"name": str, '
    '"region": str, "summary": str}], "chapters": [{"title": str, "summary": str, '
    '"characters": [<character names>], "places": [<place names>]}]}; at least one '
    "character is playable."
)


def _list_of_objects(value: Any, name: str) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ReplyUnusable(f"The agent's `{name}` was not a list of objects.")
    return value


def _names(value: Any, name: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ReplyUnusable(f"The agent's `{name}` was not a list of names.")
    return value


def draft_from_json(
    data: dict[str, Any], *, previous: CustomWorldDraft, new_id: NewId
) -> CustomWorldDraft:
    """A draft from a model's JSON (`DRAFT_SHAPE`). Elements keep the ids of same-named
    previous ones; cards the creator edited are kept as they are; anchors the reply leaves
    out keep their previous text. `ReplyUnusable` for a wrong shape, pydantic's
    `ValidationError` for values the typed draft refuses."""
    ids = {("c", c.name.lower()): c.id for c in previous.characters}
    ids |= {("p", p.name.lower()): p.id for p in previous.places}
    ids |= {("h", h.title.lower()): h.id for h in previous.chapters}

    def element_id(kind: str, name: Any) -> str:
        key = (kind, str(name).strip().lower())
        if key not in ids:
            ids[key] = new_id()
        return ids[key]

    places = [
        {
            "id": element_id("p", item.get("name")),
            "name": item.get("name"),
            "region": item.get("region") or "",
            "summary": item.get("summary") or "",
        }
        for item in _list_of_objects(data.get("places"), "places")
    ]
    characters = [
        {
            "id": element_id("c", item.get("name")),
            "name": item.get("name"),
            "role": item.get("role") or "",
            "summary": item.get("summary") or "",
            "playable": bool(item.get("playable")),
            "homePlaceId": element_id("p", item["homePlace"]) if item.get("homePlace") else None,
        }
        for item in _list_of_objects(data.get("characters"), "characters")
    ]
    chapters = [
        {
            "id": element_id("h", item.get("title")),
            "title": item.get("title"),
            "summary": item.get("summary") or "",
            "characterIds": [
                element_id("c", n) for n in _names(item.get("characters"), "characters")
            ],
            "placeIds": [element_id("p", n) for n in _names(item.get("places"), "places")],
        }
        for item in _list_of_objects(data.get("chapters"), "chapters")
    ]
    anchors = data.get("anchors") or {}
    if not isinstance(anchors, dict):
        raise ReplyUnusable("The agent's `anchors` was not an object.")
    merged_chapters = _keep_edited(chapters, previous.chapters)
    merged_characters = _keep_edited(characters, previous.characters)
    merged_places = _keep_edited(places, previous.places)
    # What the creator's cards link to stays too, even if the model left it out.
    needed = {i for c in merged_chapters if isinstance(c, DraftChapter) for i in c.character_ids}
    merged_characters += _missing(merged_characters, previous.characters, needed)
    needed = {i for c in merged_chapters if isinstance(c, DraftChapter) for i in c.place_ids}
    needed |= {
        c.home_place_id
        for c in merged_characters
        if isinstance(c, DraftCharacter) and c.home_place_id is not None
    }
    merged_places += _missing(merged_places, previous.places, needed)
    return CustomWorldDraft.model_validate(
        {
            "worldName": data.get("worldName", previous.world_name),
            "subtitle": data.get("subtitle", previous.subtitle),
            "summary": data.get("summary", previous.summary),
            "themeMode": data.get("themeMode", previous.theme_mode.value),
            "tags": data.get("tags", list(previous.tags)),
            "anchors": {**{k.value: v for k, v in previous.anchors.items()}, **anchors},
            "characters": merged_characters,
            "places": merged_places,
            "chapters": merged_chapters,
        }
    )


def _missing(
    merged: list[Any],
    previous: Sequence[DraftCharacter | DraftPlace | DraftChapter],
    needed: set[str],
) -> list[Any]:
    present = {item.id if not isinstance(item, dict) else item["id"] for item in merged}
    return [e for e in previous if e.id in needed and e.id not in present]


def _keep_edited(
    proposed: list[dict[str, Any]],
    previous: Sequence[DraftCharacter | DraftPlace | DraftChapter],
) -> list[Any]:
    edited = {e.id: e for e in previous if e.status is CardStatus.EDITED}
    merged: list[Any] = [edited.pop(item["id"], None) or item for item in proposed]
    return merged + list(edited.values())
