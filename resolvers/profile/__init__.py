"""The runtime profile (DOMAIN.md §2): settings, snapshot, browse history, saves, feedback."""
