"""The custom-world vocabulary: anchors, stages, kinds, statuses and input limits.

Values are stored as they are here (lower case) and exposed as GraphQL enums.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from resolvers.gallery.play_types import PlayType

PLAY_TYPE = PlayType.CUSTOM_WORLD


class AnchorKey(StrEnum):
    """The eight anchors of a world (docs/worlds.md); every one must be set to publish."""

    PREMISE = "premise"  # the hook in one or two sentences
    TONE = "tone"  # mood and genre: how it should feel to play
    SETTING = "setting"  # era, geography, what the world looks like
    RULES = "rules"  # magic, technology or law: what is possible and what it costs
    FACTIONS = "factions"  # the powers that pull the world apart
    PLAYER_ROLE = "player_role"  # who the player is when they enter
    CONFLICT = "conflict"  # the central conflict or threat
    STAKES = "stakes"  # what is won or lost: where the story is heading


ANCHOR_ORDER = tuple(AnchorKey)


class ThemeMode(StrEnum):
    """`theme_mode`: the world's genre, which the gallery filters by."""

    FANTASY = "fantasy"
    WUXIA = "wuxia"
    XIANXIA = "xianxia"
    SCIFI = "scifi"
    URBAN = "urban"
    MYSTERY = "mystery"
    HORROR = "horror"
    COZY = "cozy"


class AgentStage(StrEnum):
    """Where an agent session is (`custom_world_agent_session.stage`)."""

    COLLECTING_ANCHORS = "collecting_anchors"  # some anchors are still empty
    DRAFTING = "drafting"  # anchors set, other publish blockers remain
    READY_TO_PUBLISH = "ready_to_publish"  # the publish gate passes
    PUBLISHED = "published"  # its world is in the gallery


class MessageRole(StrEnum):
    USER = "user"
    ASSISTANT = "assistant"
    SYSTEM = "system"


class MessageKind(StrEnum):
    """What a message is: chat text, the agent's reply, a greeting or a warning."""

    TEXT = "text"
    REPLY = "reply"
    GREETING = "greeting"
    WARNING = "warning"
    ERROR = "error"


class OperationType(StrEnum):
    AGENT_TURN = "agent_turn"


class OperationStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINISHED_OPERATION_STATUSES = frozenset(
    {OperationStatus.COMPLETED, OperationStatus.FAILED, OperationStatus.CANCELLED}
)


class CardKind(StrEnum):
    CHARACTER = "character"
    PLACE = "place"
    CHAPTER = "chapter"


class CardStatus(StrEnum):
    """GENERATED cards are the agent's and may be replaced by later turns; EDITED cards were
    changed by the creator and are kept as they are."""

    GENERATED = "generated"
    EDITED = "edited"


class AssetStatus(StrEnum):
    """Whether a character or place card has its image bound (slot `image`)."""

    MISSING = "missing"
    BOUND = "bound"


@dataclass(frozen=True, slots=True)
class CardValues:
    """A card's columns (without ids and times) as one draft element determines them;
    `detail` is the free-form `detail_payload_json`."""

    kind: CardKind
    status: CardStatus
    title: str
    subtitle: str
    summary: str
    linked_ids: list[str]
    warning_count: int
    asset_status: AssetStatus | None
    asset_status_label: str | None
    detail: dict[str, Any]


class GenerationMode(StrEnum):
    """The question-and-answer flow: QUICK may generate at once, GUIDED needs every answer."""

    QUICK = "quick"
    GUIDED = "guided"


class LegacySessionStatus(StrEnum):
    QUESTIONING = "questioning"
    READY = "ready"
    COMPLETED = "completed"
    FAILED = "failed"


class BlockerCode(StrEnum):
    """Why a world cannot be published yet."""

    WORLD_NAME_MISSING = "WORLD_NAME_MISSING"
    ANCHOR_MISSING = "ANCHOR_MISSING"
    NO_PLAYABLE_CHARACTER = "NO_PLAYABLE_CHARACTER"
    NO_LANDMARK = "NO_LANDMARK"
    COVER_MISSING = "COVER_MISSING"
    COVER_NOT_IMAGE = "COVER_NOT_IMAGE"
    COVER_NOT_PUBLIC = "COVER_NOT_PUBLIC"


# Assets: the entity kinds this domain registers (resolvers/worlds/entities.py).
WORLD_ENTITY_KIND = "custom_world"  # entity id: the profile id
COVER_SLOT = "cover"
CARD_ENTITY_KIND = "custom_world_card"  # entity id: the card id
CARD_IMAGE_SLOT = "image"

# Input limits (stated in the GraphQL descriptions).
MAX_SEED_LENGTH = 2000  # the creation framework quotes the seed in prompts
MAX_MESSAGE_LENGTH = 4000
MAX_ANCHOR_LENGTH = 500
MAX_NAME_LENGTH = 40
MAX_SUBTITLE_LENGTH = 80
MAX_SUMMARY_LENGTH = 1000
MAX_TAGS = 8
MAX_TAG_LENGTH = 20
MAX_ELEMENTS = 24
MAX_SETTING_LENGTH = 4000
MAX_ANSWER_LENGTH = 500
