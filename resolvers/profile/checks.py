"""Input checks shared by the profile resolvers: texts and JSON state."""

from __future__ import annotations

from typing import Any

import orjson

from resolvers.profile.errors import ProfileError, ProfileErrorCode
from settings import get_settings


def text(value: str | None, *, field: str, maximum: int, required: bool = False) -> str:
    """Trimmed text of at most `maximum` characters (at least 1 when required)."""
    cleaned = (value or "").strip()
    if len(cleaned) > maximum or (required and not cleaned):
        raise ProfileError(
            ProfileErrorCode.TEXT_INVALID,
            f"`{field}` has {'1' if required else '0'} to {maximum} characters.",
            field=field,
        )
    return cleaned


def optional_text(value: str | None, *, field: str, maximum: int) -> str | None:
    cleaned = text(value, field=field, maximum=maximum)
    return cleaned or None


def state(game_state: Any, current_story: Any) -> tuple[str, str | None]:
    """Game state (a JSON object or array) and story (object, array or null), serialized.

    Top-level scalars are refused: SQLite's JSON reading breaks on them (docs/stack.md).
    """
    if not isinstance(game_state, dict | list):
        raise ProfileError(
            ProfileErrorCode.STATE_INVALID,
            "The game state is a JSON object or array.",
            field="gameState",
        )
    if current_story is not None and not isinstance(current_story, dict | list):
        raise ProfileError(
            ProfileErrorCode.STATE_INVALID,
            "The current story is a JSON object, an array or null.",
            field="currentStory",
        )
    game = orjson.dumps(game_state).decode()
    story = orjson.dumps(current_story).decode() if current_story is not None else None
    limit = get_settings().profile_state_max_bytes
    if len(game) + len(story or "") > limit:
        raise ProfileError(
            ProfileErrorCode.STATE_TOO_LARGE,
            f"Game state and story are limited to {limit} bytes of JSON together.",
            field="gameState",
        )
    return game, story


def loaded(value: Any) -> Any:
    """A JSON column's value as Python (strings are parsed; None stays None)."""
    return orjson.loads(value) if isinstance(value, str | bytes) else value


def dumps(value: Any) -> str:
    return orjson.dumps(value).decode()
