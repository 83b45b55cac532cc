"""The visual-novel vocabulary: stages, source modes, blocker codes, limits, asset slots."""

from __future__ import annotations

import re
from enum import StrEnum

MAX_SEED_LENGTH = 2000
MAX_SOURCE_ASSETS = 12
MAX_TITLE_LENGTH = 80
MAX_SUMMARY_LENGTH = 1000
MAX_TEXT_LENGTH = 4000  # a scene's or an ending's text
MAX_LABEL_LENGTH = 120  # names, titles, choice labels
MAX_TAGS = 8
MAX_TAG_LENGTH = 24
MAX_CHARACTERS = 16
MAX_PHASES = 8
MAX_SCENES = 40
MAX_CHOICES = 6  # per scene
MAX_ENDINGS = 8
MAX_RULES = 6  # conditions or effects per choice
MAX_SAY_LENGTH = 500  # a player's text turn
KEPT_SNAPSHOTS = 20  # before-snapshots a run keeps for regenerating

# Ids of characters, phases, scenes, choices, endings, flags and metrics: lower case (a
# scene's id is part of its image slot `scene:<sceneId>`, and slots are lower case).
PART_ID = re.compile(r"^[a-z0-9_-]{1,32}$")

# Asset bindings: the work's cover, and each scene's image in slot `scene:<sceneId>`.
WORK_ENTITY = "visual_novel_work"
COVER_SLOT = "cover"
SCENE_SLOT_PREFIX = "scene:"


def scene_slot(scene_id: str) -> str:
    """The slot of the work entity holding a scene's image."""
    return f"{SCENE_SLOT_PREFIX}{scene_id}"


class VisualNovelStage(StrEnum):
    """`collecting_anchors` until the draft has scenes, `draft_ready` once it has,
    `published` while its work is published (the session's `status`)."""

    COLLECTING_ANCHORS = "collecting_anchors"
    DRAFT_READY = "draft_ready"
    PUBLISHED = "published"


class VisualNovelSourceMode(StrEnum):
    """Where a creation starts: a seed text, or the creator's own confirmed images."""

    SEED = "seed"
    ASSETS = "assets"


class VisualNovelBlockerCode(StrEnum):
    """Why a visual novel cannot be published yet."""

    TITLE_MISSING = "TITLE_MISSING"
    COVER_MISSING = "COVER_MISSING"
    NO_SCENES = "NO_SCENES"
    NO_ENDINGS = "NO_ENDINGS"
    CHOICE_TARGET_MISSING = "CHOICE_TARGET_MISSING"
    ENDING_UNREACHABLE = "ENDING_UNREACHABLE"
    SCENE_IMAGE_MISSING = "SCENE_IMAGE_MISSING"
    IMAGE_NOT_PUBLIC = "IMAGE_NOT_PUBLIC"
    IMAGE_NOT_AN_IMAGE = "IMAGE_NOT_AN_IMAGE"


class VisualNovelLossReason(StrEnum):
    """A visual novel's own reason for a LOST run: an ending whose outcome is `lose`."""

    BAD_ENDING = "BAD_ENDING"


class TurnSource(StrEnum):
    """Who made a turn (`visual_novel_runtime_history_entry.source`)."""

    CHOICE = "choice"
    TEXT = "text"


class RuntimeEventKind(StrEnum):
    """`visual_novel_runtime_event.event_kind`: one per applied turn."""

    TURN_APPLIED = "turn_applied"
    TURN_REGENERATED = "turn_regenerated"


def run_event_stream(run_id: str) -> str:
    """The run's runtime-event stream (`visualNovelRunEvents`)."""
    return f"visual_novel_run:{run_id}"
