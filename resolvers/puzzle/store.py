"""Puzzle's statements."""

from __future__ import annotations

from db.tables.puzzle import PuzzleAgentSession, PuzzleWorkProfile
from resolvers.play_types.tables import DraftColumn, WorkTables

# The tables the contract's shared reads and publication run on.
TABLES = WorkTables(profile=PuzzleWorkProfile, session=PuzzleAgentSession)
DRAFT = DraftColumn(PuzzleAgentSession, "draft_json")
