"""The puzzle vocabulary: stages, publication statuses, event kinds, blocker codes,
entity kinds for asset bindings, stream names and limits."""

from __future__ import annotations

from enum import StrEnum

MAX_SEED_LENGTH = 2000
MAX_TITLE_LENGTH = 80
MAX_DESCRIPTION_LENGTH = 1000
MAX_THEME_LENGTH = 32
MAX_TAGS = 8
MAX_TAG_LENGTH = 24
MAX_LEVELS = 12
MAX_LEVEL_NAME_LENGTH = 60
MIN_GRID_SIZE = 3
MAX_GRID_SIZE = 8

# Asset bindings (resolvers/assets/entities.py): the cover of a work, the image of a level.
WORK_ENTITY = "puzzle_work"
LEVEL_ENTITY = "puzzle_level"
COVER_SLOT = "cover"
IMAGE_SLOT = "image"


def level_entity_id(work_id: str, level_id: str) -> str:
    """The `puzzle_level` entity of one level: `{work_id}.{level_id}`."""
    return f"{work_id}.{level_id}"


class PuzzleStage(StrEnum):
    """`collecting_anchors` until the draft has levels (form autosave keeps it),
    `draft_ready` once it has, `published` while its work is published."""

    COLLECTING_ANCHORS = "collecting_anchors"
    DRAFT_READY = "draft_ready"
    PUBLISHED = "published"


class PuzzleEventKind(StrEnum):
    """What a `puzzle_event` records about a work."""

    PUBLISHED = "published"
    UPDATED = "updated"
    UNPUBLISHED = "unpublished"


class PuzzleBlockerCode(StrEnum):
    """Why a puzzle cannot be published yet."""

    TITLE_MISSING = "TITLE_MISSING"
    COVER_MISSING = "COVER_MISSING"
    NO_LEVELS = "NO_LEVELS"
    LEVEL_NAME_MISSING = "LEVEL_NAME_MISSING"
    LEVEL_IMAGE_MISSING = "LEVEL_IMAGE_MISSING"
    GRID_SIZE_INVALID = "GRID_SIZE_INVALID"
    IMAGE_NOT_PUBLIC = "IMAGE_NOT_PUBLIC"
    IMAGE_NOT_AN_IMAGE = "IMAGE_NOT_AN_IMAGE"


def owner_stream(user_id: str) -> str:
    """The stream of one user's puzzle events (`puzzleEvents`)."""
    return f"puzzle:u:{user_id}"


# Runs and leaderboards (resolvers/puzzle/runs.py, resolvers/puzzle/leaderboard.py).
LEADERBOARD_IMPROVED = "improved"  # the kind of every leaderboard event


def leaderboard_stream(work_id: str, grid_size: int) -> str:
    """The public stream of one leaderboard's improvements (`puzzleLeaderboardChanges`)."""
    return f"puzzle:lb:{work_id}:{grid_size}"
