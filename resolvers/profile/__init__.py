"""The runtime profile (docs/domain.md): settings, snapshot, browse history, saves, feedback."""
