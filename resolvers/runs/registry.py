"""Which play types have runs: each plugin's `runs` (resolvers/play_types/registry.py).

Nothing registers itself: a play type has runs when its plugin's `runs` is a `RunRules`.
Tests may stand in rules for a play type that has none (`rules_for_tests`). The play-type
registry is imported when first asked (its plugins import their run modules, which may
import the framework).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from resolvers.gallery.play_types import PlayType
from resolvers.runs.errors import RunError, RunErrorCode
from resolvers.runs.rules import RunRules

_test_rules: dict[PlayType, RunRules[Any]] = {}


def rules_for(play_type: PlayType | str) -> RunRules[Any] | None:
    """The run rules of a play type, or None when it has no runs (or is not built)."""
    try:
        kind = PlayType(play_type)
    except ValueError:
        return None
    if kind in _test_rules:
        return _test_rules[kind]
    from resolvers.play_types.registry import plugin_for

    plugin = plugin_for(kind)
    return plugin.runs if plugin is not None else None


def require_rules(play_type: PlayType | str) -> RunRules[Any]:
    """`rules_for`, or `RunError(PLAY_TYPE_UNSUPPORTED)`."""
    rules = rules_for(play_type)
    if rules is None:
        raise RunError(
            RunErrorCode.PLAY_TYPE_UNSUPPORTED,
            f"{play_type} has no runs yet.",
            field="playType",
        )
    return rules


def play_types_with_runs() -> list[PlayType]:
    """Every registered play type whose plugin has run rules (and those tests stood in)."""
    from resolvers.play_types.registry import PLUGINS

    found = {plugin.play_type for plugin in PLUGINS if plugin.runs is not None}
    return sorted(found | set(_test_rules))


@contextlib.contextmanager
def rules_for_tests(rules: RunRules[Any]) -> Iterator[RunRules[Any]]:
    """Tests only: `rules` stand in for their play type's while the block runs."""
    previous = _test_rules.get(rules.play_type)
    _test_rules[rules.play_type] = rules
    try:
        yield rules
    finally:
        if previous is None:
            _test_rules.pop(rules.play_type, None)
        else:
            _test_rules[rules.play_type] = previous
