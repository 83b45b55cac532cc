"""The typed puzzle draft, the built-in agent's derivation, and the work-card projection.

A draft is a `PuzzleDraft`: title, description, theme, tags and levels, each level with
an id (stable: the `puzzle_level` asset entity hangs off it), a name and a grid size
(3 to 8, or not chosen yet). It is validated on every write (autosave, agent replies);
it is stored with camelCase keys (`draft_json`), the way the agent and the form see it.
Images are not part of the draft: they are asset bindings of the work and its levels.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator
from pydantic.alias_generators import to_camel

from resolvers.creation.model import ConversationMessage, MessageKind, MessageRole
from resolvers.ids import new_id
from resolvers.play_types.drafts import known_part, with_unknown_kept
from resolvers.puzzle.model import (
    MAX_DESCRIPTION_LENGTH,
    MAX_GRID_SIZE,
    MAX_LEVEL_NAME_LENGTH,
    MAX_LEVELS,
    MAX_TAG_LENGTH,
    MAX_TAGS,
    MAX_THEME_LENGTH,
    MAX_TITLE_LENGTH,
    MIN_GRID_SIZE,
    PuzzleStage,
)
from resolvers.puzzle.rows import WorkCard

LEVEL_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
Tag = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TAG_LENGTH)
]


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        alias_generator=to_camel,
        populate_by_name=True,
        str_strip_whitespace=True,
    )


class PuzzleLevelDraft(_Model):
    level_id: str = Field(pattern=LEVEL_ID.pattern)
    name: str = Field(default="", max_length=MAX_LEVEL_NAME_LENGTH)
    grid_size: int | None = Field(default=None, ge=MIN_GRID_SIZE, le=MAX_GRID_SIZE)


class PuzzleDraft(_Model):
    title: str = Field(default="", max_length=MAX_TITLE_LENGTH)
    description: str = Field(default="", max_length=MAX_DESCRIPTION_LENGTH)
    theme: str = Field(default="", max_length=MAX_THEME_LENGTH)
    tags: list[Tag] = Field(default_factory=list, max_length=MAX_TAGS)
    levels: list[PuzzleLevelDraft] = Field(default_factory=list, max_length=MAX_LEVELS)

    @field_validator("tags")
    @classmethod
    def _distinct_tags(cls, tags: list[str]) -> list[str]:
        return list(dict.fromkeys(tags))

    @field_validator("levels")
    @classmethod
    def _distinct_levels(cls, levels: list[PuzzleLevelDraft]) -> list[PuzzleLevelDraft]:
        ids = [level.level_id for level in levels]
        if len(set(ids)) != len(ids):
            raise ValueError("level ids must be distinct")
        return levels

    def stored(self) -> dict[str, Any]:
        """The JSON object kept in `draft_json` (camelCase keys)."""
        return self.model_dump(by_alias=True)


EMPTY_DRAFT = PuzzleDraft()

# What the agent is told about the draft (replies/prompt): the JSON it must return.
DRAFT_SHAPE = (
    '{"title": string (up to 80 characters), "description": string (up to 1000), '
    '"theme": string (up to 32), "tags": [string] (up to 8, each up to 24), '
    '"levels": [{"name": string (up to 60), "gridSize": integer from 3 to 8}] (1 to 12 '
    "levels, in play order)}"
)


def stored_draft(value: Any) -> PuzzleDraft:
    """The draft of a `draft_json` column (None: the empty draft); keys the model does not
    know are left aside (and kept by the next write: `stored_json`)."""
    if not value:
        return EMPTY_DRAFT
    return PuzzleDraft.model_validate(known_part(value, PuzzleDraft))


def stored_json(draft: PuzzleDraft, previous: Any) -> dict[str, Any]:
    """What a write stores in `draft_json`: the draft, with the previous stored draft's
    unknown keys."""
    return with_unknown_kept(previous, draft.stored(), PuzzleDraft)


def with_level_ids(data: Any, previous: PuzzleDraft) -> Any:
    """A model's draft with level ids given by position: the i-th level keeps the id of the
    previous draft's i-th level (its bound image stays with it); extra levels get new ids."""
    if not isinstance(data, dict) or not isinstance(data.get("levels"), list):
        return data
    levels = []
    for position, level in enumerate(data["levels"]):
        if not isinstance(level, dict):
            levels.append(level)
            continue
        known = previous.levels[position].level_id if position < len(previous.levels) else None
        given = {key: value for key, value in level.items() if key not in ("levelId", "level_id")}
        levels.append({"levelId": known or new_id(), **given})
    return {**data, "levels": levels}


# --- the built-in agent: a deterministic draft from the conversation --------------------

_ADJECTIVES = [
    "Misty",
    "Golden",
    "Hidden",
    "Crimson",
    "Silent",
    "Paper",
    "Lantern",
    "Frozen",
    "Velvet",
    "Copper",
    "Moonlit",
    "Drifting",
]
_NOUNS = [
    "Harbor",
    "Garden",
    "Library",
    "Orchard",
    "Observatory",
    "Market",
    "Canal",
    "Meadow",
    "Workshop",
    "Tea House",
    "Lighthouse",
    "Bamboo Grove",
]
_THEMES = ["landscape", "animals", "city", "fantasy", "food", "ocean", "space", "seasons"]


def _rng(session_seed: str, conversation: Sequence[ConversationMessage]) -> random.Random:
    said = [
        message.text
        for message in conversation
        if message.role is MessageRole.USER and message.kind is MessageKind.CHAT
    ]
    material = "\x1f".join([session_seed, *said]).encode()
    return random.Random(int.from_bytes(hashlib.sha256(material).digest()[:8], "big"))


def derive_draft(
    *, seed_text: str, previous: PuzzleDraft, conversation: Sequence[ConversationMessage]
) -> PuzzleDraft:
    """The built-in agent's draft: levels with names and grid sizes chosen by a generator
    seeded with the seed text and every user message (same conversation, same draft;
    another seed, another draft). What the creator wrote themselves (title, description,
    theme, tags) is kept; levels keep their ids by position."""
    rng = _rng(seed_text, conversation)
    count = rng.randint(2, 4)
    names = rng.sample([f"{a} {n}" for a in _ADJECTIVES for n in _NOUNS], count)
    levels = [
        PuzzleLevelDraft(
            level_id=(
                previous.levels[position].level_id if position < len(previous.levels) else new_id()
            ),
            name=name,
            grid_size=rng.randint(MIN_GRID_SIZE, MAX_GRID_SIZE),
        )
        for position, name in enumerate(names)
    ]
    theme = previous.theme or rng.choice(_THEMES)
    seed_line = " ".join(seed_text.split())
    title = previous.title or (seed_line[:MAX_TITLE_LENGTH] if seed_line else names[0])
    description = previous.description or (
        f"{count} {theme} puzzles: " + ", ".join(name for name in names) + "."
    )
    return PuzzleDraft(
        title=title,
        description=description[:MAX_DESCRIPTION_LENGTH],
        theme=theme,
        tags=previous.tags or [theme],
        levels=levels,
    )


def stage_and_progress(draft: PuzzleDraft, *, published: bool) -> tuple[str, int]:
    """Stage and progress of a draft: a quarter each for a title, at least one level,
    every level named, every grid size chosen (100 while published)."""
    if published:
        return PuzzleStage.PUBLISHED.value, 100
    checks = [
        bool(draft.title),
        bool(draft.levels),
        bool(draft.levels) and all(level.name for level in draft.levels),
        bool(draft.levels) and all(level.grid_size is not None for level in draft.levels),
    ]
    stage = PuzzleStage.DRAFT_READY if draft.levels else PuzzleStage.COLLECTING_ANCHORS
    return stage.value, 25 * sum(checks)


# --- the work card: a draft work's profile mirrors its session's draft ------------------


def anchor_pack(draft: PuzzleDraft, seed_text: str) -> dict[str, Any]:
    """The session's and work's anchor pack: what the creation is anchored on."""
    return {"seed": seed_text[:200], "theme": draft.theme, "tags": list(draft.tags)}


def levels_json(draft: PuzzleDraft, images: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """`levels_json` of a profile: the draft's levels, with their image asset ids when a
    publication snapshots them."""
    return [
        {
            "levelId": level.level_id,
            "name": level.name,
            "gridSize": level.grid_size,
            "imageAssetId": (images or {}).get(level.level_id),
        }
        for level in draft.levels
    ]


def projection(draft: PuzzleDraft, seed_text: str) -> WorkCard:
    """The work card of a draft (a draft work mirrors it; publishing snapshots it)."""
    first = draft.levels[0] if draft.levels else None
    return WorkCard(
        work_title=draft.title,
        work_description=draft.description,
        level_name=first.name if first else "",
        summary=draft.description,
        theme_tags_json=list(draft.tags),
        levels_json=levels_json(draft),
        anchor_pack_json=anchor_pack(draft, seed_text),
    )
