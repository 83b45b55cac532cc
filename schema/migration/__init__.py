"""The data-migration surface: import mutations and the export route (docs/ops.md)."""
