"""The square-hole vocabulary: limits, stages, blocker codes, the asset entity kind."""

from __future__ import annotations

from enum import StrEnum

MAX_SEED_LENGTH = 2000
MAX_TITLE_LENGTH = 80
MAX_DESCRIPTION_LENGTH = 1000
MAX_THEME_LENGTH = 32
MAX_TAGS = 8
MAX_TAG_LENGTH = 24
MAX_TWIST_RULE_LENGTH = 200
MAX_NAME_LENGTH = 40
MAX_SHAPES = 30
MAX_HOLES = 8
MAX_RULES = 50
MIN_SHAPE_COUNT = 2
MAX_SHAPE_COUNT = 30
MIN_DIFFICULTY = 1
MAX_DIFFICULTY = 5
MAX_POINTS = 1000
MAX_TARGET_SCORE = MAX_POINTS * MAX_SHAPE_COUNT
# A rule's `shape` or `hole` that matches every shape or hole.
ANY = "*"

# Asset bindings (resolvers/assets/entities.py): the cover of a work.
WORK_ENTITY = "square_hole_work"
COVER_SLOT = "cover"


class SquareHoleStage(StrEnum):
    """`collecting_anchors` until the draft has shapes, holes and rules, `draft_ready` once
    it has, `published` while its work is published."""

    COLLECTING_ANCHORS = "collecting_anchors"
    DRAFT_READY = "draft_ready"
    PUBLISHED = "published"


class SquareHoleBlockerCode(StrEnum):
    """Why a square-hole work cannot be published yet."""

    TITLE_MISSING = "TITLE_MISSING"
    COVER_MISSING = "COVER_MISSING"
    TWIST_RULE_MISSING = "TWIST_RULE_MISSING"
    NO_RULES = "NO_RULES"
    NO_HOLES = "NO_HOLES"
    SHAPE_COUNT_INVALID = "SHAPE_COUNT_INVALID"
    TOO_FEW_SHAPES = "TOO_FEW_SHAPES"
    RULE_UNKNOWN_SHAPE = "RULE_UNKNOWN_SHAPE"
    RULE_UNKNOWN_HOLE = "RULE_UNKNOWN_HOLE"
    TARGET_UNREACHABLE = "TARGET_UNREACHABLE"
    IMAGE_NOT_PUBLIC = "IMAGE_NOT_PUBLIC"
    IMAGE_NOT_AN_IMAGE = "IMAGE_NOT_AN_IMAGE"


# A run lost because the shapes ran out below the target score (runs_run.reason).
SCORE_TOO_LOW = "SCORE_TOO_LOW"
