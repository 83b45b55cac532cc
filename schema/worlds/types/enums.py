"""The custom-world enums on the graph (registered once, by importing this module)."""

from __future__ import annotations

import strawberry

from resolvers.gallery.play_types import PlayType
from resolvers.worlds import adapter as _adapter  # registers the adapter and entity kinds
from resolvers.worlds.errors import WorldErrorCode
from resolvers.worlds.model import (
    AgentStage,
    AnchorKey,
    AssetStatus,
    BlockerCode,
    CardKind,
    CardStatus,
    GenerationMode,
    LegacySessionStatus,
    ThemeMode,
)

assert _adapter.ADAPTER.play_type is PlayType.CUSTOM_WORLD

strawberry.enum(
    AnchorKey,
    name="CustomWorldAnchorKey",
    description="The eight anchors of a world: PREMISE (the hook), TONE (mood and genre), "
    "SETTING (era, geography, look), RULES (magic or technology and its cost), FACTIONS (the "
    "powers in conflict), PLAYER_ROLE (who the player is), CONFLICT (the central threat), "
    "STAKES (what is won or lost). All eight must be set to publish.",
)
strawberry.enum(
    ThemeMode, name="CustomWorldThemeMode", description="The world's genre (the gallery theme)."
)
strawberry.enum(
    AgentStage,
    name="CustomWorldAgentStage",
    description="COLLECTING_ANCHORS (anchors missing) → DRAFTING (other blockers remain) → "
    "READY_TO_PUBLISH (the gate passes) → PUBLISHED.",
)
strawberry.enum(CardKind, name="CustomWorldCardKind", description="What a draft card shows.")
strawberry.enum(
    CardStatus,
    name="CustomWorldCardStatus",
    description="GENERATED: the agent's (later turns may replace it). EDITED: changed by the "
    "creator (agent turns keep it).",
)
strawberry.enum(
    AssetStatus,
    name="CustomWorldAssetStatus",
    description="Whether a character or place card has an image bound (entity kind "
    "`custom_world_card`, slot `image`).",
)
strawberry.enum(
    BlockerCode,
    name="CustomWorldBlockerCode",
    description="Why a world cannot be published: WORLD_NAME_MISSING, ANCHOR_MISSING (the "
    "anchor is named), NO_PLAYABLE_CHARACTER, NO_LANDMARK (no place), COVER_MISSING (no "
    "image bound to entity kind `custom_world`, slot `cover`), COVER_NOT_IMAGE, "
    "COVER_NOT_PUBLIC (the cover must be PUBLIC_READ).",
)
strawberry.enum(
    GenerationMode,
    name="CustomWorldGenerationMode",
    description="Q&A sessions: QUICK may generate at once; GUIDED needs every answer first.",
)
strawberry.enum(
    LegacySessionStatus,
    name="CustomWorldSessionStatus",
    description="QUESTIONING → READY (every answer given, or QUICK) → COMPLETED (result) or "
    "FAILED (error; answer again and retry).",
)
strawberry.enum(
    WorldErrorCode,
    name="CustomWorldErrorCode",
    description="Why a custom-world mutation was refused (nothing was written). Publish "
    "blockers use their blocker code (ANCHOR_MISSING, COVER_MISSING, …).",
)
