"""Stored drafts keep what their typed model does not know.

A draft is stored as a JSON object whose keys are the model's (camelCase aliases). A key
the model does not declare (written by a newer client, or a play type's generated data
such as Match3D's item assets) is kept across autosaves and agent replies: reading hands
the model only the keys it knows, writing puts the others back.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel


@cache
def _known_keys(model: type[BaseModel]) -> frozenset[str]:
    keys: set[str] = set()
    for name, field in model.model_fields.items():
        keys.add(name)
        if field.alias:
            keys.add(field.alias)
    return frozenset(keys)


def known_part(stored: Any, model: type[BaseModel]) -> Any:
    """What of a stored draft `model` validates: the keys it declares (others are kept
    aside by `with_unknown_kept`). Values that are not objects are returned as they are."""
    if not isinstance(stored, dict):
        return stored
    known = _known_keys(model)
    return {key: value for key, value in stored.items() if key in known}


def with_unknown_kept(
    previous: Any, draft: dict[str, Any], model: type[BaseModel]
) -> dict[str, Any]:
    """`draft` (a validated draft's JSON) with the previous stored draft's unknown keys."""
    if not isinstance(previous, dict):
        return draft
    known = _known_keys(model)
    kept = {key: value for key, value in previous.items() if key not in known}
    return {**kept, **draft}
