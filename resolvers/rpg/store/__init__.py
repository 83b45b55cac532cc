"""The RPG runtime's statements: `story` (story sessions, events, NPCs), `inventory`
(inventory slots) and `play` (part 2's battle, treasure, quest and progression rows)."""
