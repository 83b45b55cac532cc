"""The visual novel's statements."""

from __future__ import annotations

from db.tables.visual_novel import VisualNovelAgentSession, VisualNovelWorkProfile
from resolvers.play_types.tables import DraftColumn, WorkTables

# The tables the contract's shared reads and publication run on.
TABLES = WorkTables(profile=VisualNovelWorkProfile, session=VisualNovelAgentSession)
DRAFT = DraftColumn(VisualNovelAgentSession, "draft_json")
