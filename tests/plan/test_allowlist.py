"""The plan's allow-list holds public plain fields only, and everything else falls back."""

from __future__ import annotations

import pytest
from graphql import GraphQLInterfaceType, GraphQLNamedType, GraphQLObjectType, get_named_type

from schema.build import build_schema
from schema.plan.allowlist import PLAN_COMPUTED, TYPE_FIELDS, WORK_FIELDS
from schema.plan.fast_path import FastPath
from schema.plan.roots import ROOTS
from schema.plan.shaping import Unplannable
from settings import get_settings

# Types that are private by nature: nothing of theirs may ever be planned.
PRIVATE_TYPES = ("Viewer", "Admin", "Wallet", "Session", "Ledger", "Order", "Invite", "Feedback")


def _allowed_fields() -> list[tuple[GraphQLObjectType, str]]:
    schema = build_schema(get_settings())._schema
    work = schema.get_type("Work")
    assert isinstance(work, GraphQLInterfaceType)
    fields: list[tuple[GraphQLObjectType, str]] = []
    for type_name, names in TYPE_FIELDS.items():
        named = schema.get_type(type_name)
        assert isinstance(named, GraphQLObjectType), type_name
        fields += [(named, name) for name in sorted(names)]
    for implementation in schema.get_possible_types(work):
        fields += [(implementation, name) for name in sorted(WORK_FIELDS)]
    return fields


def test_every_allowed_field_is_public_and_plain() -> None:
    # given the allow-list, over the built schema (every work type implementing Work)
    fields = _allowed_fields()
    assert len(fields) >= len(WORK_FIELDS) * 6
    for owner, name in fields:
        field = owner.fields[name]
        definition = field.extensions["strawberry-definition"]
        # then no listed field has a permission or an extension, or a resolver the plan
        # does not reproduce
        assert definition.permission_classes == [], (owner.name, name)
        assert definition.extensions == [], (owner.name, name)
        if definition.base_resolver is not None:
            assert (owner.name, name) in PLAN_COMPUTED, (owner.name, name)
        # and no listed field is, or leads to, a private type
        for type_name in (owner.name, get_named_type(field.type).name):
            assert not type_name.startswith(PRIVATE_TYPES), (owner.name, name)
        assert not field.args, (owner.name, name)


def test_root_entries_are_public_fields() -> None:
    # given the root fields with a plan
    schema = build_schema(get_settings())._schema
    query = schema.query_type
    assert query is not None
    for name in ROOTS:
        definition = query.fields[name].extensions["strawberry-definition"]
        # then none of them carries a permission class
        assert definition.permission_classes == [], name
        named: GraphQLNamedType = get_named_type(query.fields[name].type)
        work = schema.get_type("Work")
        assert isinstance(work, GraphQLInterfaceType)
        is_work = isinstance(named, GraphQLObjectType) and work in named.interfaces
        assert named.name in TYPE_FIELDS or is_work, name


@pytest.mark.parametrize(
    "query",
    [
        # a private root field
        "{ viewer { username } }",
        # a field with a resolver of a concrete work type
        "{ gallery { nodes { ... on PuzzleWork { publicWorkCode } } } }",
        "{ gallery { nodes { ... on PuzzleWork { sessionId } } } }",
        # directives are not planned
        "query($s: Boolean!) { gallery { nodes { title @skip(if: $s) } } }",
        # a public root field without a plan
        "{ publicRechargeProducts { productId } }",
        # mutations never
        "mutation { authLogout { errors { code } } }",
    ],
)
def test_what_the_allow_list_does_not_cover_gets_no_plan(query: str) -> None:
    # given a fast path over the schema
    fast_path = FastPath(build_schema(get_settings()))
    # when the document is compiled, then it is refused
    with pytest.raises(Unplannable):
        fast_path.compile(query, None)


def test_the_gallery_page_of_the_bench_gets_a_plan() -> None:
    # given the bench's HOT page query, then it compiles to one root step
    fast_path = FastPath(build_schema(get_settings()))
    plan = fast_path.compile(
        "query Feed($first: Int!) { gallery(first: $first, order: HOT) { edges { cursor node { "
        "__typename id workId playType title summary coverUrl theme tags playCount likeCount "
        "plays7d viewerHasLiked publishedAt author { id displayName avatarUrl } } } "
        "pageInfo { hasNextPage endCursor } } }",
        "Feed",
    )
    assert plan.label == "gallery"
    assert [step.key for step in plan.steps] == ["gallery"]
