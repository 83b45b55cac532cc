"""Rules over the whole schema: descriptions everywhere, permissions on private roots,
and operations-only labels (`userTags`) nowhere outside admin types."""

from __future__ import annotations

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLUnionType,
)
from strawberry.types.base import StrawberryObjectDefinition

from schema.build import build_schema
from schema.permissions import IsAdmin, IsAuthenticated, IsService
from settings import get_settings

BUILT_IN_SCALARS = {"String", "Int", "Float", "Boolean", "ID"}

# Root fields anyone may call. Every other root field must carry a permission class.
PUBLIC_ROOT_FIELDS = {
    ("Query", "node"),
    ("Query", "user"),
    # Assets decide per object (public or yours) and per entity policy.
    ("Query", "assetObject"),
    ("Query", "assetBindings"),
    # The public gallery feed and its change stream (viewerHasLiked is false for anonymous).
    ("Query", "gallery"),
    ("Subscription", "galleryChanges"),
    # Puzzle leaderboards of published works and their improvements (docs/creation.md).
    ("Query", "puzzleLeaderboard"),
    ("Subscription", "puzzleLeaderboardChanges"),
    ("Mutation", "authRegister"),
    ("Mutation", "authLogin"),
    ("Mutation", "authPhoneCodeSend"),
    ("Mutation", "authPhoneLogin"),
    ("Mutation", "authRefresh"),
    ("Mutation", "authWechatStart"),
    ("Mutation", "authWechatCallback"),
    ("Mutation", "authWechatMiniProgramLogin"),
}
PUBLIC_ROOT_FIELDS_BY_MODULE: set[tuple[str, str]] = set()


def _schema():  # type: ignore[no-untyped-def]
    return build_schema(get_settings())


def test_every_type_field_argument_and_input_field_has_a_description() -> None:
    missing: list[str] = []
    for name, graphql_type in _schema()._schema.type_map.items():
        if name.startswith("__") or name in BUILT_IN_SCALARS:
            continue
        if not graphql_type.description:
            missing.append(name)
        if isinstance(graphql_type, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in graphql_type.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                for argument_name, argument in field.args.items():
                    if not argument.description:
                        missing.append(f"{name}.{field_name}({argument_name})")
        elif isinstance(graphql_type, GraphQLInputObjectType):
            for field_name, field in graphql_type.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
        elif not isinstance(graphql_type, GraphQLEnumType | GraphQLScalarType | GraphQLUnionType):
            missing.append(f"{name} (unexpected kind)")
    assert missing == []


def test_every_private_root_field_carries_a_permission_class() -> None:
    schema = _schema()
    unguarded: list[str] = []
    guards = (IsAuthenticated, IsAdmin, IsService)
    for root in ("Query", "Mutation", "Subscription"):
        definition = schema.get_type_by_name(root)
        if definition is None:
            continue
        assert isinstance(definition, StrawberryObjectDefinition)
        for field in definition.fields:
            name = schema.config.name_converter.get_graphql_name(field)
            if (root, name) in PUBLIC_ROOT_FIELDS or name.startswith("public"):
                continue
            if not any(issubclass(permission, guards) for permission in field.permission_classes):
                unguarded.append(f"{root}.{name}")
    assert unguarded == []


def test_user_tags_appear_only_on_admin_types() -> None:
    sdl_types = _schema()._schema.type_map
    carriers = sorted(
        name
        for name, graphql_type in sdl_types.items()
        if isinstance(graphql_type, GraphQLObjectType | GraphQLInputObjectType)
        and "userTags" in graphql_type.fields
    )
    assert all(name.startswith("Admin") for name in carriers), carriers
    for public in ("User", "Viewer"):
        assert "userTags" not in sdl_types[public].fields  # type: ignore[attr-defined]
