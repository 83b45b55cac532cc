"""Assets (docs/domain.md): direct uploads, confirmed objects, bindings to entity slots."""
