"""What a plan may serve: public root fields with an entry, and plain public fields.

A field is served by a plan only when it is listed here AND Strawberry would read it as a
plain attribute (no resolver, no permission class, no field extension), except for the few
`PLAN_COMPUTED` fields whose resolver the plan reproduces. Everything else (a private
field, a field with a resolver or a permission) makes the whole operation take the normal
executor. A test (tests/plan/test_allowlist.py) fails when a listed field is private.
"""

from __future__ import annotations

# Fields of every type implementing `Work` (the interface's own fields only).
WORK_FIELDS = frozenset(
    {
        "id",
        "workId",
        "playType",
        "title",
        "summary",
        "coverUrl",
        "theme",
        "tags",
        "publicationStatus",
        "playCount",
        "likeCount",
        "publishedAt",
        "author",
        "plays7d",
        "viewerHasLiked",
    }
)

# Other public types, by GraphQL name.
TYPE_FIELDS: dict[str, frozenset[str]] = {
    "WorkConnection": frozenset({"edges", "nodes", "pageInfo"}),
    "WorkEdge": frozenset({"cursor", "node"}),
    "PageInfo": frozenset({"hasNextPage", "endCursor"}),
    "User": frozenset({"id", "publicUserCode", "displayName", "avatarUrl"}),
}

# Fields with a resolver that the plan computes itself, the same way
# (schema/plan/shaping.py): a relay node's global id, a connection's `nodes`.
PLAN_COMPUTED = frozenset({("User", "id"), ("WorkConnection", "nodes")})


def allowed(type_name: str, field_name: str, *, is_work: bool) -> bool:
    """Whether a plan may read `type_name.field_name` (`is_work`: the type implements Work)."""
    if is_work:
        return field_name in WORK_FIELDS
    return field_name in TYPE_FIELDS.get(type_name, frozenset())
