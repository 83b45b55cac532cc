"""Deprecated aliases: an old mutation name kept working after a rename.

`deprecated_alias(field, use="newName")` is a second field with the same resolver,
description, permissions and extensions as `field`, marked deprecated in favour of the new
name. The alias and its reason are listed in docs/schema-changes.md.
"""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.permission import PermissionExtension
from strawberry.types.field import StrawberryField


def deprecated_alias(field: StrawberryField, *, use: str) -> Any:
    """A deprecated copy of mutation `field` under another name (the attribute's)."""
    resolver = field.base_resolver
    if resolver is None:
        raise TypeError("only resolver fields can have aliases")
    return strawberry.mutation(
        resolver=resolver.wrapped_func,
        description=field.description,
        permission_classes=list(field.permission_classes),
        # Fresh extension instances: an extension may keep per-field state.
        extensions=[
            type(extension)()
            for extension in field.extensions
            if not isinstance(extension, PermissionExtension)
        ],
        deprecation_reason=f"Use `{use}`.",
    )
