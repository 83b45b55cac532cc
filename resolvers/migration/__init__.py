"""Data migration (docs/ops.md): operators, export, import, the legacy auth store."""
