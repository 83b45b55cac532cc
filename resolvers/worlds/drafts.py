"""The typed draft of a custom world, validated on every write.

A draft is what the creation agent and the creator build together: the world's name,
subtitle, summary, theme, tags, its eight anchors, and its characters, places (landmarks)
and chapters. Each character, place and chapter is shown as a draft card whose id is the
element's `id`. Stored as JSON (camelCase keys) in `custom_world_agent_session.
draft_profile_json` and, for the work, in `custom_world_profile.profile_payload_json`.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic.alias_generators import to_camel

from resolvers.play_types.drafts import known_part, with_unknown_kept
from resolvers.worlds.errors import WorldError, WorldErrorCode
from resolvers.worlds.model import (
    MAX_ANCHOR_LENGTH,
    MAX_ELEMENTS,
    MAX_NAME_LENGTH,
    MAX_SUBTITLE_LENGTH,
    MAX_SUMMARY_LENGTH,
    MAX_TAG_LENGTH,
    MAX_TAGS,
    AnchorKey,
    CardKind,
    CardStatus,
    ThemeMode,
)

ElementId = Annotated[str, Field(min_length=1, max_length=64)]
Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME_LENGTH)]
Subtitle = Annotated[str, Field(max_length=MAX_SUBTITLE_LENGTH)]
Summary = Annotated[str, Field(max_length=MAX_SUMMARY_LENGTH)]
AnchorText = Annotated[str, Field(min_length=1, max_length=MAX_ANCHOR_LENGTH)]
Tag = Annotated[str, Field(min_length=1, max_length=MAX_TAG_LENGTH)]


class _Model(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="forbid",
        str_strip_whitespace=True,
        frozen=True,
    )


class DraftCharacter(_Model):
    id: ElementId
    name: Name
    role: Subtitle = ""
    summary: Summary = ""
    playable: bool = False
    home_place_id: ElementId | None = None
    status: CardStatus = CardStatus.GENERATED


class DraftPlace(_Model):
    id: ElementId
    name: Name
    region: Subtitle = ""
    summary: Summary = ""
    status: CardStatus = CardStatus.GENERATED


class DraftChapter(_Model):
    id: ElementId
    title: Name
    summary: Summary = ""
    character_ids: list[ElementId] = Field(default_factory=list, max_length=MAX_ELEMENTS)
    place_ids: list[ElementId] = Field(default_factory=list, max_length=MAX_ELEMENTS)
    status: CardStatus = CardStatus.GENERATED


class CustomWorldDraft(_Model):
    """A whole draft; the validators check limits, unique ids and that links resolve."""

    world_name: Annotated[str, Field(max_length=MAX_NAME_LENGTH)] = ""
    subtitle: Subtitle = ""
    summary: Summary = ""
    theme_mode: ThemeMode = ThemeMode.FANTASY
    tags: list[Tag] = Field(default_factory=list, max_length=MAX_TAGS)
    anchors: dict[AnchorKey, AnchorText] = Field(default_factory=dict)
    characters: list[DraftCharacter] = Field(default_factory=list, max_length=MAX_ELEMENTS)
    places: list[DraftPlace] = Field(default_factory=list, max_length=MAX_ELEMENTS)
    chapters: list[DraftChapter] = Field(default_factory=list, max_length=MAX_ELEMENTS)

    @model_validator(mode="after")
    def _links_resolve(self) -> CustomWorldDraft:
        ids = [element.id for element in self.elements()]
        if len(ids) != len(set(ids)):
            raise ValueError("element ids must be unique")
        places = {place.id for place in self.places}
        characters = {character.id for character in self.characters}
        for character in self.characters:
            if character.home_place_id is not None and character.home_place_id not in places:
                raise ValueError(f"character {character.id}: unknown home place")
        for chapter in self.chapters:
            if not set(chapter.character_ids) <= characters:
                raise ValueError(f"chapter {chapter.id}: unknown character")
            if not set(chapter.place_ids) <= places:
                raise ValueError(f"chapter {chapter.id}: unknown place")
        return self

    def elements(self) -> list[DraftCharacter | DraftPlace | DraftChapter]:
        return [*self.characters, *self.places, *self.chapters]

    def element(self, element_id: str) -> DraftCharacter | DraftPlace | DraftChapter | None:
        return next((e for e in self.elements() if e.id == element_id), None)

    def missing_anchors(self) -> list[AnchorKey]:
        return [key for key in AnchorKey if key not in self.anchors]

    def playable_count(self) -> int:
        return sum(1 for character in self.characters if character.playable)

    def as_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)


def kind_of(element: DraftCharacter | DraftPlace | DraftChapter) -> CardKind:
    if isinstance(element, DraftCharacter):
        return CardKind.CHARACTER
    if isinstance(element, DraftPlace):
        return CardKind.PLACE
    return CardKind.CHAPTER


def describe(error: ValidationError) -> str:
    """The first problem of a validation error, for people ("characters.0.name: …")."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}" if where else str(first["msg"])


def parse_draft(value: Any, *, field: str = "draft") -> CustomWorldDraft:
    """Validate a draft (a dict from JSON); DRAFT_INVALID names the first problem."""
    try:
        return CustomWorldDraft.model_validate(value)
    except ValidationError as error:
        raise WorldError(WorldErrorCode.DRAFT_INVALID, describe(error), field=field) from error


def stored_draft(value: Any) -> CustomWorldDraft:
    """A draft read back from the database (validated when it was written); keys the model
    does not know are left aside (and kept by the next write: `stored_json`)."""
    if not value:
        return CustomWorldDraft()
    return CustomWorldDraft.model_validate(known_part(value, CustomWorldDraft))


def stored_json(draft: CustomWorldDraft, previous: Any) -> dict[str, Any]:
    """What a write stores: the draft, with the previous stored draft's unknown keys."""
    return with_unknown_kept(previous, draft.as_json(), CustomWorldDraft)


def replace(draft: CustomWorldDraft, **changes: Any) -> CustomWorldDraft:
    """A copy with `changes`, validated again (model_copy alone does not validate)."""
    data = draft.model_dump(mode="python")
    data.update(changes)
    try:
        return CustomWorldDraft.model_validate(data)
    except ValidationError as error:
        raise WorldError(WorldErrorCode.DRAFT_INVALID, describe(error), field="draft") from error
