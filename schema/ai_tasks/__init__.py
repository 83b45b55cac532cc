"""AI tasks on the graph: types, queries, mutations, subscriptions (DOMAIN.md §9)."""
