"""The typed Match3D draft, the built-in agent's derivation, and the work-card projection.

A draft is a `Match3dDraft`: title, summary, theme, tags, the item set and the board's
configuration (layers, difficulty, clear count, time limit). Each item has an id (stable:
its cut image is bound to the work's slot `item:<itemId>`), a name, how many copies lie on
the board (3, 6 or 9: items clear three at a time), a relative size and, when a 3D model
exists, its `modelSrc`/`modelObjectKey`. It is validated on every write (autosave, agent
replies) and stored with camelCase keys (`draft_json`); keys the model does not know are
kept (resolvers/play_types/drafts.py).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator
from pydantic.alias_generators import to_camel

from resolvers.creation.model import ConversationMessage, MessageKind, MessageRole
from resolvers.ids import new_id
from resolvers.match3d.model import (
    ALIKE,
    ITEM_ID,
    MAX_COPIES,
    MAX_DIFFICULTY,
    MAX_ITEM_NAME_LENGTH,
    MAX_ITEMS,
    MAX_LAYERS,
    MAX_MODEL_REF_LENGTH,
    MAX_SIZE,
    MAX_SUMMARY_LENGTH,
    MAX_TAG_LENGTH,
    MAX_TAGS,
    MAX_THEME_LENGTH,
    MAX_TIME_LIMIT_SECONDS,
    MAX_TITLE_LENGTH,
    MIN_ITEM_KINDS,
    MIN_SIZE,
    MIN_TIME_LIMIT_SECONDS,
    Match3dStage,
)
from resolvers.play_types.drafts import known_part, with_unknown_kept

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


class Match3dItemDraft(_Model):
    item_id: str = Field(pattern=ITEM_ID.pattern)
    name: str = Field(default="", max_length=MAX_ITEM_NAME_LENGTH)
    count: int = Field(default=ALIKE, ge=ALIKE, le=MAX_COPIES, multiple_of=ALIKE)
    size: float = Field(default=1.0, ge=MIN_SIZE, le=MAX_SIZE)
    model_src: str | None = Field(default=None, max_length=MAX_MODEL_REF_LENGTH)
    model_object_key: str | None = Field(default=None, max_length=MAX_MODEL_REF_LENGTH)


class Match3dDraft(_Model):
    title: str = Field(default="", max_length=MAX_TITLE_LENGTH)
    summary: str = Field(default="", max_length=MAX_SUMMARY_LENGTH)
    theme: str = Field(default="", max_length=MAX_THEME_LENGTH)
    tags: list[Tag] = Field(default_factory=list, max_length=MAX_TAGS)
    items: list[Match3dItemDraft] = Field(default_factory=list, max_length=MAX_ITEMS)
    layers: int = Field(default=2, ge=1, le=MAX_LAYERS)
    difficulty: int = Field(default=1, ge=1, le=MAX_DIFFICULTY)
    # Triples a player clears to win; null: every triple on the board. When given, the
    # gate wants it to equal the board's triples (clearing everything wins).
    clear_count: int | None = Field(default=None, ge=1)
    # The run's time limit; null: the setting MATCH3D_RUN_TIME_LIMIT_SECONDS.
    time_limit_seconds: int | None = Field(
        default=None, ge=MIN_TIME_LIMIT_SECONDS, le=MAX_TIME_LIMIT_SECONDS
    )

    @field_validator("tags")
    @classmethod
    def _distinct_tags(cls, tags: list[str]) -> list[str]:
        return list(dict.fromkeys(tags))

    @field_validator("items")
    @classmethod
    def _distinct_items(cls, items: list[Match3dItemDraft]) -> list[Match3dItemDraft]:
        ids = [item.item_id for item in items]
        if len(set(ids)) != len(ids):
            raise ValueError("item ids must be distinct")
        return items

    @property
    def board_triples(self) -> int:
        """Triples on the board: every copy of every item, three at a time."""
        return sum(item.count for item in self.items) // ALIKE

    def stored(self) -> dict[str, Any]:
        """The JSON object kept in `draft_json` (camelCase keys)."""
        return self.model_dump(by_alias=True)


EMPTY_DRAFT = Match3dDraft()

# What the agent is told about the draft (replies/prompt): the JSON it must return.
DRAFT_SHAPE = (
    '{"title": string (up to 80 characters), "summary": string (up to 1000), '
    '"theme": string (up to 32), "tags": [string] (up to 8, each up to 24), '
    '"items": [{"name": string (up to 40), "count": 3, 6 or 9, "size": number from 0.5 '
    'to 2}] (4 to 12 items), "layers": integer from 1 to 4, "difficulty": integer from 1 '
    'to 5, "timeLimitSeconds": integer from 30 to 1800}'
)


def stored_draft(value: Any) -> Match3dDraft:
    """The draft of a `draft_json` column (None: the empty draft); unknown keys aside."""
    if not value:
        return EMPTY_DRAFT
    return Match3dDraft.model_validate(known_part(value, Match3dDraft))


def stored_json(draft: Match3dDraft, previous: Any) -> dict[str, Any]:
    """What a write stores in `draft_json`: the draft, with the previous unknown keys."""
    return with_unknown_kept(previous, draft.stored(), Match3dDraft)


def new_item_id() -> str:
    return new_id().lower()


def with_item_ids(data: Any, previous: Match3dDraft) -> Any:
    """A model's or form's draft with every item given an id: its own when it has one,
    else the id of the previous draft's item of the same name (its image stays with it),
    else a new one."""
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        return data
    by_name = {item.name.casefold(): item.item_id for item in previous.items if item.name}
    items = []
    for item in data["items"]:
        if isinstance(item, dict) and not (item.get("itemId") or item.get("item_id")):
            name = str(item.get("name") or "").strip().casefold()
            given = {key: value for key, value in item.items() if key not in ("itemId", "item_id")}
            item = {"itemId": by_name.get(name) or new_item_id(), **given}
        items.append(item)
    return {**data, "items": items}


# --- the built-in agent: a deterministic draft from the conversation --------------------

_ITEMS = [
    "Teacup", "Lantern", "Pinecone", "Button", "Seashell", "Acorn", "Bell", "Feather",
    "Thimble", "Marble", "Key", "Mitten", "Pear", "Spoon", "Candle", "Compass",
]  # fmt: skip
_THEMES = ["kitchen", "forest", "seaside", "attic", "garden", "market", "winter", "toys"]


def _rng(session_seed: str, conversation: Sequence[ConversationMessage]) -> random.Random:
    said = [
        message.text
        for message in conversation
        if message.role is MessageRole.USER and message.kind is MessageKind.CHAT
    ]
    material = "\x1f".join([session_seed, *said]).encode()
    return random.Random(int.from_bytes(hashlib.sha256(material).digest()[:8], "big"))


def derive_draft(
    *, seed_text: str, previous: Match3dDraft, conversation: Sequence[ConversationMessage]
) -> Match3dDraft:
    """The built-in agent's draft: 4 to 6 items with counts, sizes, layers and difficulty
    drawn by a generator seeded with the seed text and every user message. What the
    creator wrote (title, summary, theme, tags, time limit) is kept; an item keeps its id
    (and image) when its name stays."""
    rng = _rng(seed_text, conversation)
    names = rng.sample(_ITEMS, rng.randint(MIN_ITEM_KINDS, 6))
    by_name = {item.name: item.item_id for item in previous.items}
    items = [
        Match3dItemDraft(
            item_id=by_name.get(name) or new_item_id(),
            name=name,
            count=ALIKE * rng.randint(1, 2),
            size=rng.choice([0.75, 1.0, 1.25]),
        )
        for name in names
    ]
    theme = previous.theme or rng.choice(_THEMES)
    seed_line = " ".join(seed_text.split())
    title = previous.title or (seed_line[:MAX_TITLE_LENGTH] if seed_line else f"{theme} pile")
    draft = Match3dDraft(
        title=title,
        summary=previous.summary or f"Clear a {theme} pile: " + ", ".join(names) + ".",
        theme=theme,
        tags=previous.tags or [theme],
        items=items,
        layers=rng.randint(2, 3),
        difficulty=rng.randint(1, 3),
        time_limit_seconds=previous.time_limit_seconds,
    )
    return draft.model_copy(update={"clear_count": draft.board_triples})


def stage_and_progress(draft: Match3dDraft, *, published: bool) -> tuple[str, int]:
    """A quarter each for a title, enough items, every item named, a consistent clear
    count (100 while published)."""
    if published:
        return Match3dStage.PUBLISHED.value, 100
    checks = [
        bool(draft.title),
        len(draft.items) >= MIN_ITEM_KINDS,
        bool(draft.items) and all(item.name for item in draft.items),
        bool(draft.items) and draft.clear_count in (None, draft.board_triples),
    ]
    stage = Match3dStage.DRAFT_READY if draft.items else Match3dStage.COLLECTING_ANCHORS
    return stage.value, 25 * sum(checks)


# --- the work card: a draft work's profile mirrors its session's draft ------------------


def config_json(draft: Match3dDraft, images: dict[str, str] | None = None) -> dict[str, Any]:
    """The play configuration (the session's and the profile's `config_json`): the item
    set and the board; a publication adds each item's cut image (`cutImageAssetId`)."""
    return {
        "items": [
            {**item.model_dump(by_alias=True), "cutImageAssetId": (images or {}).get(item.item_id)}
            for item in draft.items
        ],
        "layers": draft.layers,
        "difficulty": draft.difficulty,
        "clearCount": draft.clear_count or draft.board_triples,
        "timeLimitSeconds": draft.time_limit_seconds,
    }


def projection(draft: Match3dDraft) -> dict[str, Any]:
    """The profile columns a draft determines (JSON columns as Python values)."""
    return {
        "game_name": draft.title,
        "theme_text": draft.theme,
        "summary_text": draft.summary,
        "tags_json": list(draft.tags),
        "clear_count": draft.clear_count or draft.board_triples,
        "difficulty": draft.difficulty,
        "config_json": config_json(draft),
    }
