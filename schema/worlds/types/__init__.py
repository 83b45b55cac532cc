"""Custom worlds on the graph: the typed draft (`drafts`), the publish gate (`gate`), agent
sessions and their cards (`agent`, a `CreationSession`), works (`work`, a gallery `Work`),
Q&A sessions (`legacy`), page arguments and errors (`common`); `enums` registers the
enums."""

from schema.worlds.types import enums as enums
from schema.worlds.types.agent import (
    CustomWorldAgentOperation,
    CustomWorldAgentSession,
    CustomWorldDraftCard,
)
from schema.worlds.types.common import AFTER, FIRST, WorldErrorType, signed_cover_url
from schema.worlds.types.drafts import (
    CustomWorldAnchor,
    CustomWorldChapter,
    CustomWorldCharacter,
    CustomWorldDraftType,
    CustomWorldPlace,
    anchors_of,
)
from schema.worlds.types.gate import CustomWorldPublishBlocker, CustomWorldPublishGate, live_gate
from schema.worlds.types.legacy import CustomWorldQuestion, CustomWorldSession
from schema.worlds.types.work import CustomWorldWork, work_of, works_from_profiles

__all__ = [
    "AFTER",
    "FIRST",
    "CustomWorldAgentOperation",
    "CustomWorldAgentSession",
    "CustomWorldAnchor",
    "CustomWorldChapter",
    "CustomWorldCharacter",
    "CustomWorldDraftCard",
    "CustomWorldDraftType",
    "CustomWorldPlace",
    "CustomWorldPublishBlocker",
    "CustomWorldPublishGate",
    "CustomWorldQuestion",
    "CustomWorldSession",
    "CustomWorldWork",
    "WorldErrorType",
    "anchors_of",
    "live_gate",
    "signed_cover_url",
    "work_of",
    "works_from_profiles",
]
