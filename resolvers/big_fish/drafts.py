"""The typed big-fish draft, the built-in agent's derivation, stage and progress.

A draft is a `BigFishDraft`: title, description, theme, tags, and the game:
- `levels`: 2 to 8 fish levels, smallest first, each with a `size` (its radius in world
  units; strictly ascending), a `speed` (world units per second) and `count` (how many
  fish of the level swim in a run's world);
- `growthThresholds`: one per level above the first, ascending: the mass the player's
  fish must have eaten to reach that level (mass grows by the size of each fish eaten);
- `playerLevel`: the level the player's fish starts at (0-based), `playerSpeed`;
- `winSize`: the mass that wins.
Validated on every write, stored with camelCase keys in `draft_json`.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator
from pydantic.alias_generators import to_camel

from resolvers.big_fish.model import (
    MAX_DESCRIPTION_LENGTH,
    MAX_FISH_PER_LEVEL,
    MAX_LEVELS,
    MAX_NAME_LENGTH,
    MAX_SIZE,
    MAX_SPEED,
    MAX_TAG_LENGTH,
    MAX_TAGS,
    MAX_THEME_LENGTH,
    MAX_TITLE_LENGTH,
    MAX_WIN_SIZE,
    MIN_LEVELS,
    BigFishCreationStage,
)
from resolvers.creation.model import ConversationMessage, MessageKind, MessageRole
from resolvers.play_types.drafts import known_part, with_unknown_kept

ID_PATTERN = r"^[a-z0-9_-]{1,32}$"
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


class LevelDraft(_Model):
    level_id: str = Field(pattern=ID_PATTERN)
    name: str = Field(default="", max_length=MAX_NAME_LENGTH)
    size: float = Field(gt=0, le=MAX_SIZE, allow_inf_nan=False)
    speed: float = Field(ge=0, le=MAX_SPEED, allow_inf_nan=False)
    count: int = Field(default=0, ge=0, le=MAX_FISH_PER_LEVEL)


class BigFishDraft(_Model):
    title: str = Field(default="", max_length=MAX_TITLE_LENGTH)
    description: str = Field(default="", max_length=MAX_DESCRIPTION_LENGTH)
    theme: str = Field(default="", max_length=MAX_THEME_LENGTH)
    tags: list[Tag] = Field(default_factory=list, max_length=MAX_TAGS)
    levels: list[LevelDraft] = Field(default_factory=list, max_length=MAX_LEVELS)
    growth_thresholds: list[float] = Field(default_factory=list, max_length=MAX_LEVELS)
    player_level: int = Field(default=0, ge=0, lt=MAX_LEVELS)
    player_speed: float = Field(default=3.0, gt=0, le=MAX_SPEED, allow_inf_nan=False)
    win_size: float = Field(default=0, ge=0, le=MAX_WIN_SIZE, allow_inf_nan=False)

    @field_validator("tags")
    @classmethod
    def _distinct_tags(cls, tags: list[str]) -> list[str]:
        return list(dict.fromkeys(tags))

    @field_validator("levels")
    @classmethod
    def _distinct_levels(cls, levels: list[LevelDraft]) -> list[LevelDraft]:
        if len({level.level_id for level in levels}) != len(levels):
            raise ValueError("level ids must be distinct")
        return levels

    def stored(self) -> dict[str, Any]:
        """The JSON object kept in `draft_json` (camelCase keys)."""
        return self.model_dump(by_alias=True)


EMPTY_DRAFT = BigFishDraft()

DRAFT_SHAPE = (
    '{"title": string (up to 80), "description": string (up to 1000), "theme": string, '
    '"tags": [string], "levels": [{"levelId": id, "name": string, "size": 0..10 '
    '(ascending), "speed": 0..10, "count": 0..30}] (2 to 8, smallest first), '
    '"growthThresholds": [number] (one per level above the first, ascending), '
    '"playerLevel": 0-based level, "playerSpeed": number, "winSize": number}'
)


def stored_draft(value: Any) -> BigFishDraft:
    """The draft of a `draft_json` column (None: the empty draft)."""
    if not value:
        return EMPTY_DRAFT
    return BigFishDraft.model_validate(known_part(value, BigFishDraft))


def stored_json(draft: BigFishDraft, previous: Any) -> dict[str, Any]:
    return with_unknown_kept(previous, draft.stored(), BigFishDraft)


# --- the built-in agent ---------------------------------------------------------------

_NAMES = ["shrimp", "minnow", "sardine", "perch", "bass", "tuna", "shark", "whale"]
_THEMES = ["reef", "pond", "deep sea", "river", "lagoon"]


def _rng(session_seed: str, conversation: Sequence[ConversationMessage]) -> random.Random:
    said = [
        message.text
        for message in conversation
        if message.role is MessageRole.USER and message.kind is MessageKind.CHAT
    ]
    material = "\x1f".join([session_seed, *said]).encode()
    return random.Random(int.from_bytes(hashlib.sha256(material).digest()[:8], "big"))


def derive_draft(
    *, seed_text: str, previous: BigFishDraft, conversation: Sequence[ConversationMessage]
) -> BigFishDraft:
    """The built-in agent's draft, chosen by a generator seeded with the seed text and the
    user's messages (same conversation, same draft). What the creator wrote is kept."""
    rng = _rng(seed_text, conversation)
    count = rng.randint(3, 5)
    names = _NAMES[:count]
    levels = [
        {
            "levelId": f"l{index + 1}",
            "name": name,
            "size": round(0.3 + 0.3 * index, 2),
            "speed": round(2.0 - 0.3 * index, 2),
            "count": max(1, 8 - 2 * index),
        }
        for index, name in enumerate(names)
    ]
    thresholds = [round(1.5 * (index + 1) ** 2, 1) for index in range(count - 1)]
    theme = previous.theme or rng.choice(_THEMES)
    seed_line = " ".join(seed_text.split())
    return BigFishDraft(
        title=previous.title or (seed_line[:MAX_TITLE_LENGTH] if seed_line else "Big Fish"),
        description=previous.description or f"Eat your way up {count} levels of the {theme}.",
        theme=theme,
        tags=previous.tags or [theme],
        levels=[LevelDraft.model_validate(level) for level in levels],
        growth_thresholds=thresholds,
        player_level=0,
        player_speed=3.0,
        win_size=thresholds[-1] + 2,
    )


def stage_and_progress(draft: BigFishDraft, *, published: bool) -> tuple[str, int]:
    """A fifth each for a title, two levels or more, thresholds for every level above the
    first, a win size, and something the player can eat; 100 while published."""
    if published:
        return BigFishCreationStage.PUBLISHED.value, 100
    checks = [
        bool(draft.title),
        len(draft.levels) >= MIN_LEVELS,
        len(draft.growth_thresholds) == max(0, len(draft.levels) - 1),
        draft.win_size > 0,
        any(level.count for level in draft.levels[: draft.player_level + 1]),
    ]
    ready = len(draft.levels) >= MIN_LEVELS
    stage = BigFishCreationStage.DRAFT_READY if ready else BigFishCreationStage.COLLECTING_ANCHORS
    return stage.value, 20 * sum(checks)


def anchor_pack(draft: BigFishDraft) -> dict[str, Any]:
    """The anchors the agent settled (`anchor_pack_json`): theme, level names, the goal."""
    return {
        "theme": draft.theme,
        "levels": [level.name or level.level_id for level in draft.levels],
        "winSize": draft.win_size,
    }
