"""The typed `VisualNovelResultDraft`, the built-in agent's derivation, the work card.

A draft holds characters, phases, scenes (text, characters shown, choices), endings (win or
lose) and the id of the opening scene. A choice has conditions on flags and metrics (all
must hold for it to be offered), effects on them (set a flag, add to a metric) and leads to
a scene or an ending. Flags start false, metrics 0. Stored with camelCase keys; unknown
keys are kept (resolvers/play_types/drafts.py). docs/visual-novel.md has the format.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic.alias_generators import to_camel

from resolvers.creation.model import ConversationMessage, MessageKind, MessageRole
from resolvers.play_types.drafts import known_part, with_unknown_kept
from resolvers.visual_novel import model as m

PartId = Annotated[str, StringConstraints(pattern=m.PART_ID.pattern)]
Label = Annotated[str, StringConstraints(strip_whitespace=True, max_length=m.MAX_LABEL_LENGTH)]
Tag = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=m.MAX_TAG_LENGTH)
]


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        alias_generator=to_camel,
        populate_by_name=True,
        str_strip_whitespace=True,
    )


class Condition(_Model):
    """Holds when the flag has `flagValue`, or the metric is within [atLeast, atMost]."""

    flag: PartId | None = None
    flag_value: bool = True
    metric: PartId | None = None
    at_least: int | None = None
    at_most: int | None = None

    @model_validator(mode="after")
    def _one_subject(self) -> Condition:
        if (self.flag is None) == (self.metric is None):
            raise ValueError("a condition names a flag or a metric")
        return self


class Effect(_Model):
    """Sets the flag to `flagValue`, or adds `add` to the metric."""

    flag: PartId | None = None
    flag_value: bool = True
    metric: PartId | None = None
    add: int = Field(default=0, ge=-1000, le=1000)

    @model_validator(mode="after")
    def _one_subject(self) -> Effect:
        if (self.flag is None) == (self.metric is None):
            raise ValueError("an effect names a flag or a metric")
        return self


class Choice(_Model):
    choice_id: PartId
    label: Label = ""
    conditions: list[Condition] = Field(default_factory=list, max_length=m.MAX_RULES)
    effects: list[Effect] = Field(default_factory=list, max_length=m.MAX_RULES)
    next_scene_id: PartId | None = None
    ending_id: PartId | None = None


class Character(_Model):
    character_id: PartId
    name: Label = ""
    description: str = Field(default="", max_length=m.MAX_SUMMARY_LENGTH)


class Phase(_Model):
    phase_id: PartId
    title: Label = ""


class Scene(_Model):
    scene_id: PartId
    title: Label = ""
    phase_id: PartId | None = None
    text: str = Field(default="", max_length=m.MAX_TEXT_LENGTH)
    character_ids: list[PartId] = Field(default_factory=list, max_length=m.MAX_CHARACTERS)
    choices: list[Choice] = Field(default_factory=list, max_length=m.MAX_CHOICES)


class Ending(_Model):
    ending_id: PartId
    title: Label = ""
    text: str = Field(default="", max_length=m.MAX_TEXT_LENGTH)
    outcome: Literal["win", "lose"] = "win"


class VisualNovelResultDraft(_Model):
    title: str = Field(default="", max_length=m.MAX_TITLE_LENGTH)
    summary: str = Field(default="", max_length=m.MAX_SUMMARY_LENGTH)
    tags: list[Tag] = Field(default_factory=list, max_length=m.MAX_TAGS)
    text_mode_enabled: bool = True
    start_scene_id: PartId | None = None
    characters: list[Character] = Field(default_factory=list, max_length=m.MAX_CHARACTERS)
    phases: list[Phase] = Field(default_factory=list, max_length=m.MAX_PHASES)
    scenes: list[Scene] = Field(default_factory=list, max_length=m.MAX_SCENES)
    endings: list[Ending] = Field(default_factory=list, max_length=m.MAX_ENDINGS)

    @model_validator(mode="after")
    def _distinct_ids(self) -> VisualNovelResultDraft:
        for what, ids in (
            ("character", [c.character_id for c in self.characters]),
            ("phase", [p.phase_id for p in self.phases]),
            ("scene", [s.scene_id for s in self.scenes]),
            ("ending", [e.ending_id for e in self.endings]),
        ):
            if len(set(ids)) != len(ids):
                raise ValueError(f"{what} ids must be distinct")
        return self

    @property
    def opening_scene_id(self) -> str | None:
        """The scene a run starts in: `startSceneId`, else the first scene."""
        return self.start_scene_id or (self.scenes[0].scene_id if self.scenes else None)

    def stored(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True)


EMPTY_DRAFT = VisualNovelResultDraft()

DRAFT_SHAPE = (
    '{"title": string, "summary": string, "tags": [string], "textModeEnabled": bool, '
    '"startSceneId": id, "characters": [{"characterId": id, "name": string}], "phases": '
    '[{"phaseId": id, "title": string}], "scenes": [{"sceneId": id, "title": string, '
    '"phaseId": id, "text": string, "characterIds": [id], "choices": [{"choiceId": id, '
    '"label": string, "conditions": [{"flag": id, "flagValue": bool} or {"metric": id, '
    '"atLeast": int, "atMost": int}], "effects": [{"flag": id, "flagValue": bool} or '
    '{"metric": id, "add": int}], "nextSceneId": id or "endingId": id}]}], "endings": '
    '[{"endingId": id, "title": string, "text": string, "outcome": "win" or "lose"}]} '
    "(ids: 1 to 32 of a-z 0-9 _ -)"
)


def stored_draft(value: Any) -> VisualNovelResultDraft:
    """The draft of a `draft_json` column (None: the empty draft); unknown keys aside."""
    if not value:
        return EMPTY_DRAFT
    return VisualNovelResultDraft.model_validate(known_part(value, VisualNovelResultDraft))


def stored_json(draft: VisualNovelResultDraft, previous: Any) -> dict[str, Any]:
    return with_unknown_kept(previous, draft.stored(), VisualNovelResultDraft)


# --- the built-in agent: a deterministic story from the seed and the conversation -------

_PLACES = ["station", "library", "harbor", "garden", "rooftop", "market", "archive", "bridge"]
_NAMES = ["Mei", "Arun", "Lena", "Tomas", "Yuki", "Ines", "Kofi", "Sana"]


def _rng(seed: str, conversation: Sequence[ConversationMessage]) -> random.Random:
    said = [
        message.text
        for message in conversation
        if message.role is MessageRole.USER and message.kind is MessageKind.CHAT
    ]
    material = "\x1f".join([seed, *said]).encode()
    return random.Random(int.from_bytes(hashlib.sha256(material).digest()[:8], "big"))


def derive_draft(
    *,
    seed_text: str,
    previous: VisualNovelResultDraft,
    conversation: Sequence[ConversationMessage],
) -> VisualNovelResultDraft:
    """The built-in agent's story: two characters, three scenes in two phases, a trust
    metric and a flag, a winning and a losing ending, drawn by a generator seeded with the
    seed and every user message. A draft that already has scenes is kept as it is (only
    the creator changes a story once it exists); the title and summary are kept."""
    if previous.scenes:
        return previous
    rng = _rng(seed_text, conversation)
    one, two = rng.sample(_NAMES, 2)
    first, second = rng.sample(_PLACES, 2)
    seed_line = " ".join(seed_text.split())
    data = {
        "title": previous.title or (seed_line[: m.MAX_TITLE_LENGTH] or f"Night at the {first}"),
        "summary": previous.summary or f"{one} and {two} meet at the {first}.",
        "tags": list(previous.tags) or ["mystery"],
        "textModeEnabled": previous.text_mode_enabled,
        "startSceneId": "opening",
        "characters": [
            {"characterId": "lead", "name": one},
            {"characterId": "friend", "name": two},
        ],
        "phases": [{"phaseId": "act1", "title": "Meeting"}, {"phaseId": "act2", "title": "Truth"}],
        "scenes": [
            {
                "sceneId": "opening",
                "title": f"The {first}",
                "phaseId": "act1",
                "text": f"{one} waits at the {first} as {two} arrives late.",
                "characterIds": ["lead", "friend"],
                "choices": [
                    {
                        "choiceId": "trust",
                        "label": f"Trust {two}",
                        "effects": [{"metric": "trust", "add": 1}, {"flag": "met"}],
                        "nextSceneId": "crossing",
                    },
                    {"choiceId": "leave", "label": "Walk away", "nextSceneId": "crossing"},
                ],
            },
            {
                "sceneId": "crossing",
                "title": f"The {second}",
                "phaseId": "act2",
                "text": f"At the {second}, {two} finally tells the truth.",
                "characterIds": ["friend"],
                "choices": [
                    {
                        "choiceId": "listen",
                        "label": "Listen",
                        "conditions": [{"metric": "trust", "atLeast": 1}],
                        "endingId": "together",
                    },
                    {"choiceId": "refuse", "label": "Refuse to listen", "endingId": "alone"},
                ],
            },
        ],
        "endings": [
            {"endingId": "together", "title": "Together", "text": "They leave as friends."},
            {"endingId": "alone", "title": "Alone", "text": "The night ends.", "outcome": "lose"},
        ],
    }
    return VisualNovelResultDraft.model_validate(data)


def stage_and_progress(draft: VisualNovelResultDraft, *, published: bool) -> tuple[str, int]:
    """A quarter each for a title, scenes, endings and choices (100 while published)."""
    if published:
        return m.VisualNovelStage.PUBLISHED.value, 100
    checks = [
        bool(draft.title),
        bool(draft.scenes),
        bool(draft.endings),
        any(scene.choices for scene in draft.scenes),
    ]
    stage = (
        m.VisualNovelStage.DRAFT_READY if draft.scenes else m.VisualNovelStage.COLLECTING_ANCHORS
    )
    return stage.value, 25 * sum(checks)


def pending_action(draft: VisualNovelResultDraft, missing_images: Sequence[str]) -> Any:
    """What the agent proposes next (`pending_action_json`): add scenes, generate the
    missing scene images, or publish; None while nothing is proposed."""
    if not draft.scenes:
        return {"kind": "add_scenes"}
    if missing_images:
        return {"kind": "generate_scene_images", "sceneIds": list(missing_images)}
    return {"kind": "publish"}


def projection(draft: VisualNovelResultDraft) -> dict[str, Any]:
    """The profile columns a draft determines (JSON columns as Python values)."""
    return {
        "work_title": draft.title,
        "work_description": draft.summary,
        "tags_json": list(draft.tags),
        "draft_json": draft.stored(),
    }
