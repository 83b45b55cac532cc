"""Puzzle's statements, by entity: creation sessions (`sessions`), works and their events
(`works`), leaderboards (`leaderboard`) and run states (`runs`)."""
