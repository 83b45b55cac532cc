"""The big-fish vocabulary: limits, stages, blocker codes, slot kinds, run statuses."""

from __future__ import annotations

from enum import StrEnum

MAX_SEED_LENGTH = 2000
MAX_TITLE_LENGTH = 80
MAX_DESCRIPTION_LENGTH = 1000
MAX_THEME_LENGTH = 32
MAX_TAGS = 8
MAX_TAG_LENGTH = 24
MAX_NAME_LENGTH = 40
MIN_LEVELS = 2
MAX_LEVELS = 8
MAX_FISH_PER_LEVEL = 30
MAX_SIZE = 10.0
MAX_SPEED = 10.0
MAX_WIN_SIZE = 1000.0
MAX_MOTIONS = 4

# Asset bindings: the cover of a work (the session id), and the sprites `imageGenerate`
# fills: `background`, `fish:<levelId>`, `motion:<key>`.
WORK_ENTITY = "big_fish_work"
COVER_SLOT = "cover"
BACKGROUND_SLOT = "background"
FISH_SLOT_PREFIX = "fish:"
MOTION_SLOT_PREFIX = "motion:"
# The motions every work has sprites for (the player's fish swimming and eating).
MOTIONS = ("swim", "eat")


class BigFishCreationStage(StrEnum):
    """`collecting_anchors` until the draft has levels, `draft_ready` once it has,
    `published` while the work is published."""

    COLLECTING_ANCHORS = "collecting_anchors"
    DRAFT_READY = "draft_ready"
    PUBLISHED = "published"


class BigFishAssetKind(StrEnum):
    BACKGROUND = "background"
    FISH = "fish"
    MOTION = "motion"


class BigFishAssetStatus(StrEnum):
    """MISSING: nothing asked yet; PENDING: an image generation is queued or running;
    READY: the image is bound; FAILED: the last generation failed."""

    MISSING = "missing"
    PENDING = "pending"
    READY = "ready"
    FAILED = "failed"


class BigFishEventKind(StrEnum):
    PUBLISH_GATE_EVALUATED = "publish_gate_evaluated"


class BigFishBlockerCode(StrEnum):
    """Why a big-fish work cannot be published yet."""

    TITLE_MISSING = "TITLE_MISSING"
    COVER_MISSING = "COVER_MISSING"
    TOO_FEW_LEVELS = "TOO_FEW_LEVELS"
    SIZES_NOT_ASCENDING = "SIZES_NOT_ASCENDING"
    THRESHOLDS_INVALID = "THRESHOLDS_INVALID"
    PLAYER_LEVEL_INVALID = "PLAYER_LEVEL_INVALID"
    NOTHING_TO_EAT = "NOTHING_TO_EAT"
    WIN_SIZE_UNREACHABLE = "WIN_SIZE_UNREACHABLE"
    ASSET_MISSING = "ASSET_MISSING"
    IMAGE_NOT_PUBLIC = "IMAGE_NOT_PUBLIC"
    IMAGE_NOT_AN_IMAGE = "IMAGE_NOT_AN_IMAGE"


class BigFishRunStatus(StrEnum):
    """RUNNING: ticking (a subscriber is watching); PAUSED: nobody watched for 5 s, the
    clock stopped; WON / LOST: over; ABANDONED: given up (`runAbandon`)."""

    RUNNING = "running"
    PAUSED = "paused"
    WON = "won"
    LOST = "lost"
    ABANDONED = "abandoned"


FINISHED_RUN_STATUSES = frozenset(
    {BigFishRunStatus.WON, BigFishRunStatus.LOST, BigFishRunStatus.ABANDONED}
)
