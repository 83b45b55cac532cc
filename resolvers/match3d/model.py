"""The Match3D vocabulary: stages, blocker codes, limits, asset entity kinds and slots."""

from __future__ import annotations

import re
from enum import StrEnum

MAX_SEED_LENGTH = 2000
MAX_TITLE_LENGTH = 80
MAX_SUMMARY_LENGTH = 1000
MAX_THEME_LENGTH = 32
MAX_TAGS = 8
MAX_TAG_LENGTH = 24
MAX_ITEMS = 12  # kinds of item in one work
MAX_ITEM_NAME_LENGTH = 40
MAX_COPIES = 9  # copies of one item on the board: 3, 6 or 9
MIN_SIZE, MAX_SIZE = 0.5, 2.0  # an item's relative size on the board
MAX_LAYERS = 4
MAX_DIFFICULTY = 5
MIN_TIME_LIMIT_SECONDS, MAX_TIME_LIMIT_SECONDS = 30, 1800
MAX_MODEL_REF_LENGTH = 255
TRAY_SIZE = 7  # places in the tray; a seventh item without a triple loses
ALIKE = 3  # items alike that clear from the tray

# An item's id: lower case (it is part of its image slot `item:<itemId>`, and slots are
# lower case), stable across reorderings and renames.
ITEM_ID = re.compile(r"^[a-z0-9_-]{1,32}$")

# Asset bindings (resolvers/assets/entities.py): the work's cover, and each item's cut
# image in the work's slot `item:<itemId>` (bound by item id, never by position).
WORK_ENTITY = "match3d_work"
COVER_SLOT = "cover"
ITEM_SLOT_PREFIX = "item:"


def item_slot(item_id: str) -> str:
    """The slot of the work entity holding an item's cut image."""
    return f"{ITEM_SLOT_PREFIX}{item_id}"


class Match3dStage(StrEnum):
    """`collecting_anchors` until the draft has items, `draft_ready` once it has,
    `published` while its work is published."""

    COLLECTING_ANCHORS = "collecting_anchors"
    DRAFT_READY = "draft_ready"
    PUBLISHED = "published"


class Match3dBlockerCode(StrEnum):
    """Why a Match3D work cannot be published yet."""

    TITLE_MISSING = "TITLE_MISSING"
    COVER_MISSING = "COVER_MISSING"
    TOO_FEW_ITEMS = "TOO_FEW_ITEMS"
    ITEM_NAME_MISSING = "ITEM_NAME_MISSING"
    ITEM_IMAGE_MISSING = "ITEM_IMAGE_MISSING"
    CLEAR_COUNT_MISMATCH = "CLEAR_COUNT_MISMATCH"
    IMAGE_NOT_PUBLIC = "IMAGE_NOT_PUBLIC"
    IMAGE_NOT_AN_IMAGE = "IMAGE_NOT_AN_IMAGE"


# A board needs at least this many kinds of item (fewer can never fill the tray, and a
# game that cannot be lost is no game).
MIN_ITEM_KINDS = 4


class Match3dLossReason(StrEnum):
    """Match3D's own reason for a LOST run."""

    TRAY_FULL = "TRAY_FULL"
