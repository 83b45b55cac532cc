"""Assets (DOMAIN.md §8): direct uploads, confirmed objects, bindings to entity slots."""
