"""Match3D's statements."""

from __future__ import annotations

from db.tables.match3d import Match3dAgentSession, Match3dWorkProfile
from resolvers.play_types.tables import DraftColumn, WorkTables

# The tables the contract's shared reads and publication run on.
TABLES = WorkTables(profile=Match3dWorkProfile, session=Match3dAgentSession)
DRAFT = DraftColumn(Match3dAgentSession, "draft_json")
