"""Custom worlds (docs/domain.md): agent sessions, drafts, cards, publishing; docs/worlds.md."""
