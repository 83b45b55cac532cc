"""Big fish's statements."""

from __future__ import annotations

from db.tables.big_fish import BigFishCreationSession
from resolvers.play_types.tables import DraftColumn

# Where the contract finds a creation session's draft.
DRAFT = DraftColumn(BigFishCreationSession, "draft_json")
