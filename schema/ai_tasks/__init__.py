"""AI tasks on the graph: types, queries, mutations, subscriptions (docs/domain.md)."""
