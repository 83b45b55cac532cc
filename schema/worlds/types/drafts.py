"""The typed draft: anchors, characters, places, chapters."""

from __future__ import annotations

import strawberry

from resolvers.worlds.drafts import CustomWorldDraft
from resolvers.worlds.gate import (
    ANCHOR_LABELS,
)
from resolvers.worlds.model import (
    AnchorKey,
    CardStatus,
    ThemeMode,
)


@strawberry.type(description="One of the eight anchors.")
class CustomWorldAnchor:
    key: AnchorKey = strawberry.field(description="Which anchor.")
    label: str = strawberry.field(description="Its name for people (`player role`).")
    text: str | None = strawberry.field(description="Its text (up to 500), null while empty.")

    @strawberry.field(description="Whether it is set (publishing needs all eight).")
    def filled(self) -> bool:
        return self.text is not None


def anchors_of(draft: CustomWorldDraft) -> list[CustomWorldAnchor]:
    return [
        CustomWorldAnchor(key=key, label=ANCHOR_LABELS[key], text=draft.anchors.get(key))
        for key in AnchorKey
    ]


@strawberry.type(description="A character of the draft (also shown as a CHARACTER card).")
class CustomWorldCharacter:
    id: strawberry.ID = strawberry.field(description="Its id, which is its card's id.")
    name: str = strawberry.field(description="Name, 1 to 40 characters.")
    role: str = strawberry.field(description="Role in the story, up to 80 characters.")
    summary: str = strawberry.field(description="Up to 1000 characters.")
    playable: bool = strawberry.field(description="Whether players may play as them.")
    home_place_id: strawberry.ID | None = strawberry.field(description="Their home place, if any.")
    status: CardStatus = strawberry.field(description="GENERATED or EDITED.")


@strawberry.type(description="A place (landmark) of the draft (also a PLACE card).")
class CustomWorldPlace:
    id: strawberry.ID = strawberry.field(description="Its id, which is its card's id.")
    name: str = strawberry.field(description="Name, 1 to 40 characters.")
    region: str = strawberry.field(description="Where it is, up to 80 characters.")
    summary: str = strawberry.field(description="Up to 1000 characters.")
    status: CardStatus = strawberry.field(description="GENERATED or EDITED.")


@strawberry.type(description="A chapter of the draft, in story order (also a CHAPTER card).")
class CustomWorldChapter:
    id: strawberry.ID = strawberry.field(description="Its id, which is its card's id.")
    title: str = strawberry.field(description="Title, 1 to 40 characters.")
    summary: str = strawberry.field(description="Up to 1000 characters.")
    character_ids: list[strawberry.ID] = strawberry.field(description="Characters who appear.")
    place_ids: list[strawberry.ID] = strawberry.field(description="Places where it happens.")
    status: CardStatus = strawberry.field(description="GENERATED or EDITED.")


@strawberry.type(
    name="CustomWorldDraft",
    description="A custom world's typed draft, validated on every write (limits in each "
    "field's description; at most 8 tags and 24 characters, places and chapters).",
)
class CustomWorldDraftType:
    world_name: str = strawberry.field(description="The world's name, up to 40; may be empty.")
    subtitle: str = strawberry.field(description="Up to 80 characters.")
    summary: str = strawberry.field(description="Up to 1000 characters.")
    theme_mode: ThemeMode = strawberry.field(description="The genre.")
    tags: list[str] = strawberry.field(description="At most 8 tags of up to 20 characters.")
    anchors: list[CustomWorldAnchor] = strawberry.field(description="The eight anchors, in order.")
    characters: list[CustomWorldCharacter] = strawberry.field(description="The cast.")
    places: list[CustomWorldPlace] = strawberry.field(description="The places (landmarks).")
    chapters: list[CustomWorldChapter] = strawberry.field(description="The chapters, in order.")

    @classmethod
    def from_draft(cls, draft: CustomWorldDraft) -> CustomWorldDraftType:
        return cls(
            world_name=draft.world_name,
            subtitle=draft.subtitle,
            summary=draft.summary,
            theme_mode=draft.theme_mode,
            tags=list(draft.tags),
            anchors=anchors_of(draft),
            characters=[
                CustomWorldCharacter(
                    id=strawberry.ID(c.id),
                    name=c.name,
                    role=c.role,
                    summary=c.summary,
                    playable=c.playable,
                    home_place_id=strawberry.ID(c.home_place_id) if c.home_place_id else None,
                    status=c.status,
                )
                for c in draft.characters
            ],
            places=[
                CustomWorldPlace(
                    id=strawberry.ID(p.id),
                    name=p.name,
                    region=p.region,
                    summary=p.summary,
                    status=p.status,
                )
                for p in draft.places
            ],
            chapters=[
                CustomWorldChapter(
                    id=strawberry.ID(c.id),
                    title=c.title,
                    summary=c.summary,
                    character_ids=[strawberry.ID(i) for i in c.character_ids],
                    place_ids=[strawberry.ID(i) for i in c.place_ids],
                    status=c.status,
                )
                for c in draft.chapters
            ],
        )


# --- the publish gate ------------------------------------------------------------------------
