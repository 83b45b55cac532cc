"""The typed square-hole draft, the built-in agent's derivation, and the work card.

A draft is a `SquareHoleDraft`: title, description, theme, tags, the twist rule (the
display text of a rule that contradicts intuition), the difficulty, how many shapes a run
deals (`shapeCount`), and the game's data, `config`: the shapes, the holes, the ordered
rules with their default (resolvers/square_hole/rules.py) and the target score. It is
validated on every write (autosave, agent replies) and stored with camelCase keys:
`draft_json` holds the whole draft, `config_json` its `config` (the session's and the
work's), which runs and the gate read.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator
from pydantic.alias_generators import to_camel

from resolvers.creation.model import ConversationMessage, MessageKind, MessageRole
from resolvers.play_types.drafts import known_part, with_unknown_kept
from resolvers.square_hole.model import (
    ANY,
    MAX_DESCRIPTION_LENGTH,
    MAX_DIFFICULTY,
    MAX_HOLES,
    MAX_NAME_LENGTH,
    MAX_POINTS,
    MAX_RULES,
    MAX_SHAPE_COUNT,
    MAX_SHAPES,
    MAX_TAG_LENGTH,
    MAX_TAGS,
    MAX_TARGET_SCORE,
    MAX_THEME_LENGTH,
    MAX_TITLE_LENGTH,
    MAX_TWIST_RULE_LENGTH,
    MIN_DIFFICULTY,
    MIN_SHAPE_COUNT,
    SquareHoleStage,
)
from resolvers.square_hole.rules import RuleBook

ID_PATTERN = r"^[a-z0-9_-]{1,32}$"
REFERENCE_PATTERN = r"^(\*|[a-z0-9_-]{1,32})$"
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


class ShapeDraft(_Model):
    shape_id: str = Field(pattern=ID_PATTERN)
    name: str = Field(default="", max_length=MAX_NAME_LENGTH)


class HoleDraft(_Model):
    hole_id: str = Field(pattern=ID_PATTERN)
    name: str = Field(default="", max_length=MAX_NAME_LENGTH)


class RuleDraft(_Model):
    shape: str = Field(pattern=REFERENCE_PATTERN)
    hole: str = Field(pattern=REFERENCE_PATTERN)
    accepts: bool
    points: int = Field(default=0, ge=0, le=MAX_POINTS)


class DefaultRuleDraft(_Model):
    accepts: bool = False
    points: int = Field(default=0, ge=0, le=MAX_POINTS)


def _distinct(ids: list[str], what: str) -> None:
    if len(set(ids)) != len(ids):
        raise ValueError(f"{what} ids must be distinct")


class SquareHoleConfig(_Model):
    shapes: list[ShapeDraft] = Field(default_factory=list, max_length=MAX_SHAPES)
    holes: list[HoleDraft] = Field(default_factory=list, max_length=MAX_HOLES)
    rules: list[RuleDraft] = Field(default_factory=list, max_length=MAX_RULES)
    default_rule: DefaultRuleDraft = Field(default_factory=DefaultRuleDraft)
    target_score: int = Field(default=0, ge=0, le=MAX_TARGET_SCORE)

    @field_validator("shapes")
    @classmethod
    def _distinct_shapes(cls, shapes: list[ShapeDraft]) -> list[ShapeDraft]:
        _distinct([shape.shape_id for shape in shapes], "shape")
        return shapes

    @field_validator("holes")
    @classmethod
    def _distinct_holes(cls, holes: list[HoleDraft]) -> list[HoleDraft]:
        _distinct([hole.hole_id for hole in holes], "hole")
        return holes

    def stored(self) -> dict[str, Any]:
        """The JSON object kept in `config_json` (camelCase keys)."""
        return self.model_dump(by_alias=True)

    def rule_book(self) -> RuleBook:
        return RuleBook.from_json(self.stored())


class SquareHoleDraft(_Model):
    title: str = Field(default="", max_length=MAX_TITLE_LENGTH)
    description: str = Field(default="", max_length=MAX_DESCRIPTION_LENGTH)
    theme: str = Field(default="", max_length=MAX_THEME_LENGTH)
    tags: list[Tag] = Field(default_factory=list, max_length=MAX_TAGS)
    twist_rule: str = Field(default="", max_length=MAX_TWIST_RULE_LENGTH)
    difficulty: int | None = Field(default=None, ge=MIN_DIFFICULTY, le=MAX_DIFFICULTY)
    shape_count: int | None = Field(default=None, ge=MIN_SHAPE_COUNT, le=MAX_SHAPE_COUNT)
    config: SquareHoleConfig = Field(default_factory=SquareHoleConfig)

    @field_validator("tags")
    @classmethod
    def _distinct_tags(cls, tags: list[str]) -> list[str]:
        return list(dict.fromkeys(tags))

    def stored(self) -> dict[str, Any]:
        """The JSON object kept in `draft_json` (camelCase keys)."""
        return self.model_dump(by_alias=True)


EMPTY_DRAFT = SquareHoleDraft()

# What the agent is told about the draft (replies/prompt): the JSON it must return.
DRAFT_SHAPE = (
    '{"title": string (up to 80), "description": string (up to 1000), "theme": string (up '
    'to 32), "tags": [string] (up to 8), "twistRule": string (up to 200: the surprising rule '
    'in words), "difficulty": 1..5, "shapeCount": 2..30 (shapes per run), "config": '
    '{"shapes": [{"shapeId": id, "name": string}], "holes": [{"holeId": id, "name": '
    'string}], "rules": [{"shape": id or "*", "hole": id or "*", "accepts": boolean, '
    '"points": 0..1000}] (first match decides), "defaultRule": {"accepts": boolean, '
    '"points": 0..1000}, "targetScore": integer}} (ids: 1 to 32 of a-z, 0-9, _ and -)'
)


def stored_draft(value: Any) -> SquareHoleDraft:
    """The draft of a `draft_json` column (None: the empty draft); keys the model does not
    know are left aside (and kept by the next write: `stored_json`)."""
    if not value:
        return EMPTY_DRAFT
    return SquareHoleDraft.model_validate(known_part(value, SquareHoleDraft))


def stored_config(value: Any) -> SquareHoleConfig:
    """The config of a `config_json` column; one that does not validate reads as the
    empty config (what the graph shows for it)."""
    try:
        return SquareHoleConfig.model_validate(value or {})
    except ValueError:
        return SquareHoleConfig()


def stored_json(draft: SquareHoleDraft, previous: Any) -> dict[str, Any]:
    """What a write stores in `draft_json`: the draft, with the previous stored draft's
    unknown keys."""
    return with_unknown_kept(previous, draft.stored(), SquareHoleDraft)


# --- the built-in agent: a deterministic draft from the conversation --------------------

_SHAPES = ["square", "circle", "triangle", "star", "heart", "hexagon", "moon", "diamond"]
_HOLES = ["square", "circle", "triangle"]
# Twists: the display text and the rules that make it true (first match decides).
_TWISTS: list[tuple[str, list[dict[str, Any]]]] = [
    (
        "Every shape fits the square hole.",
        [{"shape": ANY, "hole": "square", "accepts": True, "points": 10}],
    ),
    (
        "The square refuses the square hole; everything else fits it.",
        [
            {"shape": "square", "hole": "square", "accepts": False, "points": 5},
            {"shape": ANY, "hole": "square", "accepts": True, "points": 10},
            {"shape": "square", "hole": "circle", "accepts": True, "points": 10},
        ],
    ),
    (
        "Circles score double in the triangle hole; the square hole takes the rest.",
        [
            {"shape": "circle", "hole": "triangle", "accepts": True, "points": 20},
            {"shape": ANY, "hole": "square", "accepts": True, "points": 10},
        ],
    ),
]
_THEMES = ["toys", "kitchen", "space", "garden", "office", "ocean"]


def _rng(session_seed: str, conversation: Sequence[ConversationMessage]) -> random.Random:
    said = [
        message.text
        for message in conversation
        if message.role is MessageRole.USER and message.kind is MessageKind.CHAT
    ]
    material = "\x1f".join([session_seed, *said]).encode()
    return random.Random(int.from_bytes(hashlib.sha256(material).digest()[:8], "big"))


def derive_draft(
    *, seed_text: str, previous: SquareHoleDraft, conversation: Sequence[ConversationMessage]
) -> SquareHoleDraft:
    """The built-in agent's draft: a twist, shapes, holes, rules and a target chosen by a
    generator seeded with the seed text and every user message (same conversation, same
    draft; another seed, another draft). What the creator wrote themselves (title,
    description, theme, tags) is kept."""
    rng = _rng(seed_text, conversation)
    twist, rules = rng.choice(_TWISTS)
    count = rng.randint(3, 6)
    shapes = ["square", "circle", *rng.sample(_SHAPES[2:], count - 2)]
    config = SquareHoleConfig.model_validate(
        {
            "shapes": [{"shapeId": shape, "name": shape.title()} for shape in shapes],
            "holes": [{"holeId": hole, "name": hole.title()} for hole in _HOLES],
            "rules": rules,
            "defaultRule": {"accepts": False, "points": 0},
        }
    )
    best = config.rule_book().guaranteed_score(shapes, _HOLES, count)
    theme = previous.theme or rng.choice(_THEMES)
    seed_line = " ".join(seed_text.split())
    title = previous.title or (seed_line[:MAX_TITLE_LENGTH] if seed_line else "The Square Hole")
    description = previous.description or f"{count} {theme} shapes. {twist}"
    return SquareHoleDraft(
        title=title,
        description=description[:MAX_DESCRIPTION_LENGTH],
        theme=theme,
        tags=previous.tags or [theme],
        twist_rule=twist,
        difficulty=rng.randint(MIN_DIFFICULTY, MAX_DIFFICULTY),
        shape_count=count,
        config=config.model_copy(update={"target_score": best * 2 // 3}),
    )


def stage_and_progress(draft: SquareHoleDraft, *, published: bool) -> tuple[str, int]:
    """Stage and progress of a draft: a fifth each for a title, a twist rule, holes, rules,
    and at least `shapeCount` shapes (100 while published)."""
    if published:
        return SquareHoleStage.PUBLISHED.value, 100
    config = draft.config
    checks = [
        bool(draft.title),
        bool(draft.twist_rule),
        bool(config.holes),
        bool(config.rules),
        draft.shape_count is not None and len(config.shapes) >= draft.shape_count,
    ]
    ready = bool(config.shapes and config.holes and config.rules)
    stage = SquareHoleStage.DRAFT_READY if ready else SquareHoleStage.COLLECTING_ANCHORS
    return stage.value, 20 * sum(checks)


def projection(draft: SquareHoleDraft) -> dict[str, Any]:
    """The profile columns a draft determines (JSON columns as Python values)."""
    return {
        "game_name": draft.title,
        "theme_text": draft.theme,
        "twist_rule": draft.twist_rule,
        "summary_text": draft.description,
        "tags_json": list(draft.tags),
        "shape_count": draft.shape_count or 0,
        "difficulty": draft.difficulty or 0,
        "config_json": draft.config.stored(),
    }
