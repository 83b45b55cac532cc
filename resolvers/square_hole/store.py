"""The square-hole challenge's statements."""

from __future__ import annotations

from db.tables.square_hole import SquareHoleAgentSession, SquareHoleWorkProfile
from resolvers.play_types.tables import DraftColumn, WorkTables

# The tables the contract's shared reads and publication run on.
TABLES = WorkTables(profile=SquareHoleWorkProfile, session=SquareHoleAgentSession)
DRAFT = DraftColumn(SquareHoleAgentSession, "draft_json")
