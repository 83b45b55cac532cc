"""The profile's statements, by entity: `runtime` (settings and snapshot), `history` (browse
history), `archives` (save slots), `feedback` and `played` (played works, written by PLAY
runs)."""
