"""The GraphQL surface: Strawberry types per domain, root types, permissions, context.

Thin: a field converts arguments, calls a `resolvers` function, converts the result.
"""
