"""Custom worlds (DOMAIN.md §6): agent sessions, drafts, cards, publishing; docs/worlds.md."""
