"""The allow-list of the public-response cache holds only root fields that read published
data, and only such operations are cached."""

from __future__ import annotations

from graphql import GraphQLSchema

from schema.build import build_schema
from schema.public_cache import PublicCache
from schema.public_queries import PUBLIC_ROOT_FIELDS
from settings import get_settings

# Reviewed by hand: root fields whose result is the same for every anonymous caller and
# that read published rows only. A field is added here only after reading its resolver.
REVIEWED_PUBLIC = {
    "gallery",
    "publicPuzzleWork",
    "publicCustomWorld",
    "publicCustomWorlds",
    "puzzleLeaderboard",
}
# Reviewed fields whose description also names the viewer's own data, and why an anonymous
# result is still the same for every anonymous caller (tests/public_cache/test_boards.py).
VIEWER_PARTS = {
    "puzzleLeaderboard": "viewerEntry is null for anonymous callers; a draft's board is "
    "NOT_FOUND for them, an error, never stored",
}
# How a root field's description says it reads private data (the viewer's, an owner's
# drafts, admins' data).
PRIVATE_WORDS = ("your own", "Your ", "One of your", "Admins", "signed-in", "private")


def _schema() -> GraphQLSchema:
    return build_schema(get_settings())._schema


def test_every_allowed_root_field_is_reviewed_public_and_says_so() -> None:
    # given the schema's root query fields
    query = _schema().query_type
    assert query is not None
    # then every allowed one was reviewed, exists, says it is public and never private
    assert PUBLIC_ROOT_FIELDS <= REVIEWED_PUBLIC
    for name in PUBLIC_ROOT_FIELDS:
        description = query.fields[name].description or ""
        assert any(word in description for word in ("Public", "anyone", "Anyone")), name
        if name not in VIEWER_PARTS:
            assert not any(word in description for word in PRIVATE_WORDS), name


def test_no_root_field_that_reads_private_data_is_allowed() -> None:
    # given every root query field whose description says it reads private data
    query = _schema().query_type
    assert query is not None
    private = {
        name
        for name, field in query.fields.items()
        if any(word in (field.description or "") for word in PRIVATE_WORDS)
    }
    # then none is allowed (the viewer, sessions, drafts, admin fields among them)
    assert {"viewer", "puzzleSession", "puzzleWork", "aiTask", "adminUser"} <= private
    assert private & PUBLIC_ROOT_FIELDS == set(VIEWER_PARTS)


def test_only_queries_of_allowed_root_fields_are_cacheable() -> None:
    # given a cache
    cache = PublicCache(_schema(), ttl_seconds=5, max_entries=10, max_bytes=10_000)
    # then queries of allowed fields are, with their metrics label
    gallery = cache.plan("{ gallery { edges { cursor } } }", None)
    assert (gallery.cacheable, gallery.label, gallery.naming_fields) == (True, "gallery", 1)
    both = cache.plan(
        "{ __typename a: gallery { edges { cursor } } b: gallery { edges { cursor } } }", None
    )
    assert (both.cacheable, both.label, both.naming_fields) == (True, "gallery", 2)
    mixed = cache.plan(
        '{ gallery { edges { cursor } } publicCustomWorld(publicWorkCode: "x") { title } }', None
    )
    assert (mixed.cacheable, mixed.label, mixed.naming_fields) == (True, "other", 0)
    # and nothing else: a private field beside a public one, the viewer, mutations,
    # subscriptions, fragments at the root, introspection, unparseable documents
    refused = [
        "{ gallery { edges { cursor } } viewer { id } }",
        "{ viewer { id } }",
        "mutation { authLogout { errors { code } } }",
        "subscription { galleryChanges { sequence } }",
        "query { ...F } fragment F on Query { gallery { edges { cursor } } }",
        "{ __schema { queryType { name } } }",
        "{ __typename }",
        "{ gallery { ",
    ]
    for document in refused:
        assert not cache.plan(document, None).cacheable, document
    # and the operation named picks which operation counts
    two = "query A { gallery { edges { cursor } } } query B { viewer { id } }"
    assert cache.plan(two, "A").cacheable
    assert not cache.plan(two, "B").cacheable
    assert not cache.plan(two, None).cacheable
